"""Results per question and per unit, worked out by hand in tests/surveys/base.py; their export;
the QR code of an invitation link."""
import io
import xml.etree.ElementTree as ET

import segno
from django.urls import reverse
from openpyxl import load_workbook

from duban.surveys.qr import qr_svg
from duban.surveys.results import results
from tests.surveys.base import K, SurveyTestCase


class ResultTests(SurveyTestCase):
    def setUp(self):
        self.answer_all()

    def test_each_unit_has_its_votes_and_average_score_with_the_number_they_stand_on(self):
        found = results(self.survey)
        self.assertEqual(found.responses, 4)
        self.assertEqual((found.most_answers, found.least_answers), (4, 4))
        cg, jj, zj = (found.unit(self.units[code].pk) for code in ("cg", "jj", "zj"))
        self.assertEqual((cg.most, cg.least, cg.rated, cg.average, cg.net), (3, 1, 4, 4.0, 0.5))
        self.assertEqual((jj.most, jj.least, jj.rated, jj.average, jj.net), (1, 1, 3, 3.0, 0.0))
        self.assertEqual((zj.most, zj.least, zj.rated, zj.average, zj.net), (0, 2, 3, 2.0, -0.5))
        self.assertEqual((cg.most_share, zj.least_share), (0.75, 0.5))

    def test_each_question_has_its_counts_shares_and_average(self):
        by_kind = {q.question.kind: q for q in results(self.survey).questions}
        overall = by_kind[K.SCALE]
        self.assertEqual(overall.average, 3.5)
        self.assertEqual([o.count for o in overall.options], [1, 1, 1, 1, 0])  # 5, 4, 3, 2, 1
        problems = by_kind[K.MULTIPLE]
        self.assertEqual([(o.label, o.count, o.share) for o in problems.options],
                         [("办事效率低", 2, 0.5), ("推诿扯皮", 2, 0.5), ("没有遇到问题", 1, 0.25)])
        self.assertEqual([(s.name, s.count, s.average) for s in by_kind[K.UNIT_SCALE].scored],
                         [("城市管理行政执法局", 4, 4.0), ("公安局交通警察支队", 3, 3.0), ("住房和城乡建设局", 3, 2.0)])
        self.assertEqual(by_kind[K.TEXT].texts, ["窗口一次就办成了", "反复跑了三次"])
        self.assertEqual(by_kind[K.TEXT].answered, 2)

    def test_the_results_page_shows_each_unit_beside_its_sample(self):
        self.client.force_login(self.steward)  # a leader sees results
        page = self.client.get(reverse("surveys:results", args=[self.survey.pk]))
        self.assertContains(page, 'data-responses="4"')
        self.assertContains(page, "共4份答卷")
        row = page.content.decode().split('data-unit="住房和城乡建设局"')[1].split("</tr>")[0]
        self.assertIn("0 / 4", row)  # most satisfied
        self.assertIn("2 / 4（50%）", row)
        self.assertIn("2.00", row)
        self.assertIn("3份评分", row)

    def test_the_results_export_opens_with_every_unit_and_question(self):
        self.client.force_login(self.supervisor)
        download = self.client.get(reverse("surveys:results_xlsx", args=[self.survey.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertIn("attachment", download["Content-Disposition"])
        book = load_workbook(io.BytesIO(download.content))
        self.assertEqual(book.sheetnames, ["题目", "单位", "文字意见"])
        units = {row[0]: row for row in book["单位"].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(units["城市管理行政执法局"][1:], (3, 0.75, 1, 0.25, 0.5, 4, 4))
        self.assertEqual(units["住房和城乡建设局"][6:], (2, 3))
        rows = list(book["题目"].iter_rows(min_row=2, values_only=True))
        self.assertIn((5, "您遇到过哪些问题？（多选题）", "推诿扯皮", 2, 0.5, None, 4), rows)
        self.assertEqual([r[2] for r in book["文字意见"].iter_rows(min_row=2, values_only=True)],
                         ["窗口一次就办成了", "反复跑了三次"])


def modules(svg):
    """The dark modules an SVG from segno draws: (row, column) pairs, from its one path."""
    path = ET.fromstring(svg).find("{http://www.w3.org/2000/svg}path")
    if path is None:
        path = ET.fromstring(svg).find("path")
    scale = float(path.get("transform").removeprefix("scale(").removesuffix(")")) if path.get("transform") else 1
    tokens = path.get("d").replace("M", " M ").replace("m", " m ").replace("h", " h ").split()
    x = y = 0.0
    dark, index = set(), 0
    while index < len(tokens):
        command = tokens[index]
        if command in ("M", "m"):
            dx, dy = float(tokens[index + 1]), float(tokens[index + 2])
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            index += 3
        else:
            length = float(tokens[index + 1])
            dark.update((int(y), int(x + i)) for i in range(int(length)))
            x += length
            index += 2
    assert scale > 0
    return dark


def test_the_qr_code_of_a_link_draws_that_link():
    link = "https://duban.example.cn/s/AbCdEfGhIjKlMnOp/"
    svg = qr_svg(link, title="评议邀请 1")
    assert svg.startswith("<svg") and 'class="qr"' in svg and "评议邀请 1" in svg
    border = 2
    expected = {(r + border, c + border) for r, row in enumerate(segno.make(link, error="m", micro=False).matrix)
                for c, bit in enumerate(row) if bit}
    assert modules(svg) == expected
