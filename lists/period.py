"""A list's period: a calendar quarter written "2026-Q3"."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

PERIOD_RE = re.compile(r"^(\d{4})-Q([1-4])$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text):
        match = PERIOD_RE.match((text or "").strip())
        if not match:
            raise PeriodError(
                _("期间“%(text)s”无法识别：应写作“2026-Q3”（年份、连字符、Q和季度1至4）。")
                % {"text": text}
            )
        return cls(int(match[1]), int(match[2]))

    def __str__(self):
        return f"{self.year}-Q{self.quarter}"

    @property
    def label(self):
        return _("%(year)d年第%(quarter)d季度") % {"year": self.year, "quarter": self.quarter}

    @property
    def start(self):
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self):
        if self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    @property
    def days(self):
        return (self.end - self.start).days + 1
