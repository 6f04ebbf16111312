"""Reading a status, category or region cell the way counties write it.

A county writes 有效 where the registry says 已公示, 餐饮 or 餐饮服务 where the reference data
says 餐饮住宿, 岳麓 or 长沙市岳麓区 where the import wants 430104. Each app keeps its table of
variants as data (``merchants/importing/variants.py``, ``disclosures/importing/variants.py``,
listed in the README); this module only matches:

* a cell and a name are compared on ``match_key``: NFKC (full-width letters, digits and
  brackets made half-width), no spaces anywhere, case ignored. The key is used for matching
  only: what is stored is the reference data's own name, and a name added by an import is
  the cell as the editor wrote it, trimmed.
* an exact name always wins over a variant, so an editor who adds a category called 餐饮 gets
  it, and a variant whose target name no longer exists is ignored.
* a region is a 6-digit code, a full name (岳麓区), a name under its city or province
  (长沙市岳麓区, 湖南省长沙市岳麓区), or a name without its 区/县/市 suffix when exactly one
  region has it (岳麓, but not 长沙: 长沙市 and 长沙县).
"""

import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import regions

# A bounded cache of cells already matched: a million-row file repeats a few dozen values.
CACHE_LIMIT = 10_000
# Region suffixes dropped for the short name, longest first; the rest must be 2 characters
# or more (南县 is not 南).
REGION_SUFFIXES = ("自治县", "自治州", "区", "县", "市")
MIN_SHORT_NAME = 2
# What a region cell must name, for the message when it names nothing.
COUNTIES = gettext_lazy("区县")
CITIES_OR_COUNTIES = gettext_lazy("地市或区县")


def match_key(value):
    """What two spellings of one name have in common: NFKC, no whitespace, no case."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


class Vocabulary:
    """The names of one kind of reference data (name → id) and the variants written for them.

    ``variants`` maps a variant to a name; ``suffixes`` are words a cell may end with in
    addition (服装鞋帽类 is 服装鞋帽).
    """

    def __init__(self, names, variants=None, suffixes=()):
        self.names = dict(names)
        self.suffixes = tuple(match_key(suffix) for suffix in suffixes)
        self._by_key = {}
        for variant, name in (variants or {}).items():
            if name in self.names:
                self._by_key[match_key(variant)] = self.names[name]
        for name, value in self.names.items():  # exact names win over variants
            self._by_key[match_key(name)] = value
        # Cells already matched, the names as they are to start with: a caller reading a
        # million rows looks here first (``seen.get(cell)``) and calls ``resolve`` on a miss.
        self.seen = dict(self.names)

    def resolve(self, cell):
        """The id the cell names, or None."""
        try:
            return self.seen[cell]
        except (KeyError, TypeError):
            pass
        key = match_key(cell)
        value = self._by_key.get(key)
        if value is None:
            for suffix in self.suffixes:
                if key.endswith(suffix) and len(key) > len(suffix):
                    value = self._by_key.get(key[: -len(suffix)])
                    if value is not None:
                        break
        if len(self.seen) >= CACHE_LIMIT:
            self.seen = dict(self.names)
        if isinstance(cell, str):
            self.seen[cell] = value
        return value


class AmbiguousRegion(ValueError):
    """A short name several regions share; ``candidates`` are (code, name)."""

    def __init__(self, candidates):
        super().__init__(candidates)
        self.candidates = candidates


def short_name(name):
    """岳麓区 → 岳麓, 城步苗族自治县 → 城步苗族 (None when too short: 南县)."""
    for suffix in REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_SHORT_NAME:
            return name[: -len(suffix)]
    return None


class RegionNames:
    """Region cells by code or by name; built from ``(code, name, parent code)`` triples."""

    def __init__(self, regions):
        regions = list(regions)
        names = {code: name for code, name, _parent in regions}
        parents = {code: parent for code, _name, parent in regions}
        self.names = names
        self._full = {}  # key → set of codes: full names, also under their city and province
        self._short = {}  # key → set of codes: names without their suffix
        for code, name, _parent in regions:
            spellings = [name]
            parent = parents.get(code)
            while parent and parent in names:
                spellings.append(names[parent] + spellings[-1])
                parent = parents.get(parent)
            for spelling in spellings:
                self._full.setdefault(match_key(spelling), set()).add(code)
            short = short_name(name)
            if short:
                self._short.setdefault(match_key(short), set()).add(code)
        self._cache = {}

    def resolve(self, cell):
        """The code a name stands for, or None; ``AmbiguousRegion`` when several regions may
        be meant. A code is not looked up here (its errors say more than a name's)."""
        if cell in self._cache:
            return self._cache[cell]
        key = match_key(cell)
        codes = self._full.get(key)
        if not codes:
            codes = self._short.get(key, set()) | self._full_under_short(key)
        if len(codes) > 1:
            raise AmbiguousRegion(sorted((code, self.names[code]) for code in codes))
        code = next(iter(codes), None)
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[cell] = code
        return code

    def _full_under_short(self, key):
        # 长沙岳麓区: a city's short name before a full name, as editors also write it.
        found = set()
        for short, codes in self._short.items():
            if key.startswith(short) and key != short:
                for code in self._full.get(key[len(short) :], ()):
                    if any(self._within(code, parent) for parent in codes):
                        found.add(code)
        return found

    @staticmethod
    def _within(code, parent):
        return code != parent and code.startswith(regions.code_prefix(parent))


def region_name_error(value, candidates, wanted):
    """Why a region cell that is not a code names no region: several match, or none does.

    A region needs its code: the import cannot add one from a name, so the message says what
    to write instead.
    """
    if candidates:
        names = "、".join(
            _("%(name)s（%(code)s）") % {"name": name, "code": code} for code, name in candidates
        )
        return _("行政区划“%(value)s”可指%(names)s，请填写全称或6位行政区划代码") % {
            "value": value,
            "names": names,
        }
    return _(
        "行政区划“%(value)s”不在行政区划表中：请填写6位行政区划代码（如430104）或%(wanted)s的全称"
        "（如岳麓区）。新设的%(wanted)s须由系统管理员先导入行政区划（manage.py load_regions），"
        "导入不能凭名称添加"
    ) % {"value": value, "wanted": wanted}
