"""What both importers (merchants, complaint disclosures) do with a cell and a bad row.

A cell as trimmed text, a date in any of the ways editors type one, the reference names listed
in a message, and the 第N行:原因 error. The file reading itself is ``common.tabular``.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# A message listing the names an editor may use stops after this many.
MAX_LISTED_NAMES = 20


def text(value):
    """A cell as trimmed text: Excel numbers (430104.0, 13807311234) without a decimal tail."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()  # str.strip() also removes full-width spaces
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value):
    """A date from an Excel date cell or 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日, 20260105."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    match = _DATE_RE.match(raw) or _COMPACT_DATE_RE.match(raw)
    if not match:
        raise ValueError(raw)
    year, month, day = (int(part) for part in match.groups())
    return datetime.date(year, month, day)  # ValueError for 2026-02-30


def known_names(names):
    """一般食品、服装鞋帽……等24项: the names a cell may hold, for a message."""
    names = list(names)
    shown = "、".join(names[:MAX_LISTED_NAMES])
    if len(names) > MAX_LISTED_NAMES:
        shown += _("等%(count)d项") % {"count": len(names)}
    return shown or _("暂无")


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self):
        return _("第%(line)d行：%(reason)s") % {"line": self.line, "reason": self.reason}

    def as_dict(self):
        return {"line": self.line, "reason": self.reason}
