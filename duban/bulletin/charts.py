"""The bulletin's charts as PNG bytes, drawn with matplotlib (Agg) in the Noto CJK font.

`draw(bulletin)` returns every chart the bulletin shows: the month's daily dispatched and
resolved matters, and the composite score of each ranked unit, one chart per tier.
"""
import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from duban.bulletin import fonts  # noqa: E402
from duban.bulletin.content import Chart  # noqa: E402

WIDTH = 6.3  # inches: the text width of an A4 page with 2.5 cm margins
DPI = 150
MOST_BARS = 40  # a tier with more ranked units shows its first and last MOST_BARS / 2
RED, BLACK, GREY, BLUE = "#c62828", "#263238", "#90a4ae", "#1565c0"


def font(size=9, bold=False):
    path = fonts.font_file(bold)
    return font_manager.FontProperties(fname=font_manager.FontPath(str(path), fonts.face_index(str(path))),
                                       size=size)


def png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def daily(bulletin):
    """Matters dispatched and resolved on each day of the month (line chart)."""
    days = [day.day for day, _dispatched, _resolved in bulletin.daily]
    figure = Figure(figsize=(WIDTH, 2.6))
    axes = figure.add_subplot()
    axes.plot(days, [row[1] for row in bulletin.daily], color=BLUE, marker="o", markersize=3,
              label=_("Dispatched"))
    axes.plot(days, [row[2] for row in bulletin.daily], color=RED, marker="s", markersize=3, label=_("Resolved"))
    axes.set_xlim(0.5, len(days) + 0.5)
    axes.set_ylim(bottom=0)
    axes.set_xticks(days[::2] if len(days) > 16 else days)
    axes.set_xlabel(_("Day of %(month)s") % {"month": bulletin.month}, fontproperties=font())
    axes.set_ylabel(_("Matters"), fontproperties=font())
    axes.legend(prop=font(), frameon=False, loc="upper left", ncol=2)
    axes.grid(axis="y", color="#e0e0e0")
    axes.spines[["top", "right"]].set_visible(False)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_fontproperties(font(8))
    return png(figure)


def composite(bulletin, tier):
    """The composite score of each ranked unit of a tier (horizontal bars, best at the top)."""
    lines = tier.ranked
    if len(lines) > MOST_BARS:
        lines = lines[:MOST_BARS // 2] + lines[-MOST_BARS // 2:]
    red, black = {id(line) for line in tier.red}, {id(line) for line in tier.black}
    figure = Figure(figsize=(WIDTH, 0.9 + 0.28 * len(lines)))
    axes = figure.add_subplot()
    positions = list(range(len(lines)))[::-1]
    values = [line.composite * 100 for line in lines]
    colours = [RED if id(line) in red else BLACK if id(line) in black else GREY for line in lines]
    bars = axes.barh(positions, values, color=colours, height=0.6)
    axes.set_yticks(positions, [f"{line.rank}. {line.name}" for line in lines])
    for label in axes.get_yticklabels():
        label.set_fontproperties(font(8))
    for bar, value in zip(bars, values):
        axes.text(bar.get_width() + 0.5, bar.get_y() + bar.get_height() / 2, f"{value:.2f}", va="center",
                  fontproperties=font(7))
    axes.set_xlim(0, 108)
    axes.set_xlabel(_("Composite score"), fontproperties=font())
    axes.spines[["top", "right"]].set_visible(False)
    for label in axes.get_xticklabels():
        label.set_fontproperties(font(8))
    return png(figure)


def draw(bulletin):
    """Every chart of the bulletin, by key: "daily" and "composite:<tier>"."""
    fonts.font_file()  # fail at once, and clearly, without the font
    charts = {"daily": Chart(_("Figure: matters dispatched and resolved each day"), daily(bulletin))}
    for tier in bulletin.tiers:
        if tier.ranked:
            charts[f"composite:{tier.tier}"] = Chart(
                _("Figure: composite score of each unit, tier “%(tier)s”") % {"tier": tier.label},
                composite(bulletin, tier))
    return charts
