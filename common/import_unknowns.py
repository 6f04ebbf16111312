"""Values a file names that the reference data lacks, each listed once with its rows.

A county that writes 水果 as the category on 40 rows reads one line, 第2、3、4、5、6行等
共40行：行业类别“水果”……, not forty. The same groups are what ``--add-missing`` (the admin
page's checkbox) adds to the reference data, inside the import: ``Missing`` stands in for the
id of a name the import will add, and the app swaps it for the real id once it is written.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .import_variants import match_key

# The first rows of a group named in its line; the count is always exact.
MAX_LINES_SHOWN = 5


@dataclass(frozen=True)
class Missing:
    """The id of a reference the import adds: ``field`` is the column, ``key`` the match key."""

    field: str
    key: str


def where(lines, count):
    """第7行, 第2、3行, 第2、3、4、5、6行等共40行."""
    shown = "、".join(str(line) for line in lines[:MAX_LINES_SHOWN])
    if count > MAX_LINES_SHOWN:
        return _("第%(lines)s行等共%(count)d行") % {"lines": shown, "count": count}
    return _("第%(lines)s行") % {"lines": shown}


@dataclass
class ValueGroup:
    """One value of one column that matched nothing, and the rows that hold it."""

    field: str
    value: str  # as the first row wrote it, trimmed
    reason: str  # what the editor reads, without the rows
    addable: bool = False  # --add-missing may add it
    count: int = 0
    lines: list = field(default_factory=list)  # the first MAX_LINES_SHOWN rows
    seen: dict = field(default_factory=dict)  # what else the rows said (a 商圈's region)

    @property
    def missing(self):
        return Missing(self.field, match_key(self.value))

    @property
    def where(self):
        return where(self.lines, self.count)

    def __str__(self):
        return _("%(where)s：%(reason)s") % {"where": self.where, "reason": self.reason}

    def as_dict(self):
        """As a bad row is kept (``line``, ``reason``), with the rows it stands for."""
        return {
            "line": self.lines[0] if self.lines else 0,
            "where": self.where,
            "rows": self.count,
            "reason": self.reason,
        }


class ValueGroups:
    """The unknown values of one file, by column and match key, in the order first seen."""

    def __init__(self):
        self._groups = {}

    def add(self, field, value, line, reason, addable=False):
        """Count ``line`` for ``value``; ``reason`` (text, or a function giving it) is asked
        for once, on the value's first row."""
        key = (field, match_key(value))
        group = self._groups.get(key)
        if group is None:
            text = reason() if callable(reason) else reason
            group = self._groups[key] = ValueGroup(field, value, text, addable)
        group.count += 1
        if len(group.lines) < MAX_LINES_SHOWN:
            group.lines.append(line)
        return group

    def find(self, missing):
        """The group a ``Missing`` stands for."""
        return self._groups[(missing.field, missing.key)]

    def __iter__(self):
        return iter(self._groups.values())

    def __len__(self):
        return len(self._groups)

    def __bool__(self):
        return bool(self._groups)
