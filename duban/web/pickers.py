"""Pick a category or a unit by typing: the labels a <datalist> offers, and the row a label names.

A category is labelled with its path (城市管理 › 停车秩序 › 僵尸车) and may also be named by its own
name when that is unique; a unit by its name, or its name and its parent's where names repeat,
or by an alias. One query each; the lists are small (hundreds of rows).
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duban.catalogue.models import Category
from duban.org.models import Unit

SEPARATOR = " › "


def _ids(path):
    return [int(part) for part in path.strip("/").split("/") if part]


class Picker:
    """Labels in display order, and every way of naming a row mapped to its primary key."""

    def __init__(self, labels, other_names):
        self.labels = labels  # [(label, pk)]
        self.names = {}  # a name shared by two rows names neither (None)
        for name, pk in other_names:
            self.names[name] = pk if self.names.get(name, pk) == pk else None
        self.names.update((label, pk) for label, pk in labels)  # a label always names its row

    def find(self, text, what):
        """The primary key a text names; ValidationError when it names none."""
        pk = self.names.get(text.strip())
        if pk is None:
            raise ValidationError(_("No %(what)s is called “%(text)s”: choose one from the list.")
                                  % {"what": what, "text": text})
        return pk


def categories():
    rows = list(Category.objects.values_list("pk", "name", "path", "active"))
    by_pk = {pk: name for pk, name, _path, _active in rows}
    labels = sorted((SEPARATOR.join(by_pk[i] for i in _ids(path) if i in by_pk), pk)
                    for pk, _name, path, active in rows if active)
    return Picker(labels, [(name, pk) for pk, name, _path, active in rows if active])


def _unit_label(name, parent_name, unique):
    """A unit's name, or where another unit has the same name, its name and its parent's."""
    return name if unique else f"{name}（{parent_name or ''}）"


def units():
    rows = list(Unit.objects.values_list("pk", "name", "parent_id", "aliases", "path"))
    by_pk = {pk: name for pk, name, *_rest in rows}
    count = {}
    for _pk, name, *_rest in rows:
        count[name] = count.get(name, 0) + 1
    labels = [(_unit_label(name, by_pk.get(parent_id), count[name] == 1), pk)
              for pk, name, parent_id, _aliases, _path in sorted(rows, key=lambda row: row[4])]
    return Picker(labels, [(alias, pk) for pk, _name, _parent, aliases, _path in rows for alias in aliases or []])


def unit_label(unit):
    """The label the unit picker gives this unit."""
    unique = not Unit.objects.filter(name=unit.name).exclude(pk=unit.pk).exists()
    return _unit_label(unit.name, unit.parent.name if unit.parent_id and not unique else None, unique)


def suggestion_context(suggestion):
    """A triage suggestion with the labels its "use" buttons type into the pickers."""
    return {"suggestion": suggestion,
            "category_label": suggestion.category.full_name() if suggestion.category else "",
            "unit_label": unit_label(suggestion.unit) if suggestion.unit else ""}
