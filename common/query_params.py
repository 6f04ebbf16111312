"""Reading a query string that anyone may have typed or edited by hand, without a 500.

Every public view reads its URL parameters through ``QueryParams``, so that whatever arrives
becomes a value the database can hold or a Chinese reason why it cannot:

- integers are ASCII digits only: ``str.isdigit`` and ``int`` also take '²', '١٢' and '１２',
  which no database column holds; a number above the bound (a database id is at most a
  PostgreSQL bigint or SQLite integer, 2**63 - 1) is read as the bound, so a 20-digit id is
  what any other unknown id is: one that names no record;
- dates are YYYY-MM-DD in ASCII digits, and must exist (no 2026-02-30, no year 99999);
- text loses its control characters (PostgreSQL refuses NUL in text) and lone surrogates,
  and is cut to a length;
- a choice is one of the values offered, else the default.

What an unreadable value means is the view's choice, the same across the site: a page drops
it and shows the nearest sensible listing (a citizen who edits a URL never meets an error
page); the JSON API refuses the request with 400 and ``errors``, the reasons by parameter,
since a filter silently dropped would hand a script the unfiltered data. A page number that
is not a number is the first page, and one past the end the last (``page_number``).
"""

import datetime
import re

from django.utils.translation import gettext as _

# The largest PostgreSQL bigint and SQLite integer: no primary key is larger.
MAX_DATABASE_INTEGER = 2**63 - 1

_INTEGER = re.compile(r"([+-]?)([0-9]+)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Control characters (PostgreSQL refuses NUL in text, none belongs in a search) and the lone
# surrogates of a broken UTF-16 string, which cannot be encoded to be stored or sent.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Listed in an error message up to this many; beyond, the message just says "not offered".
MAX_LISTED_CHOICES = 5


class InvalidParameter(ValueError):
    """Why a parameter's value cannot be read, in words a reader understands."""


def clean_text(value, max_length):
    """The text with control characters as spaces, no lone surrogates, trimmed and cut."""
    text = _SURROGATE.sub("", _CONTROL.sub(" ", str(value or "")))
    return text.strip()[:max_length].strip()


def parse_integer(value, minimum=1, maximum=MAX_DATABASE_INTEGER):
    """The integer ``value`` holds, None when it is blank; above ``maximum`` it is ``maximum``.

    Raises InvalidParameter unless it is ASCII digits (a sign allowed) and at least
    ``minimum`` (which is 0 or more).
    """
    text = str(value or "").strip()
    if not text:
        return None
    match = _INTEGER.fullmatch(text)
    if match is None:
        raise InvalidParameter(_("应为整数"))
    sign, digits = match.groups()
    digits = digits.lstrip("0") or "0"
    # Compared as text first: a 10,000-digit number is never converted.
    if len(digits) > len(str(maximum)):
        number = maximum + 1
    else:
        number = int(digits)
    if sign == "-" and number:
        number = -1
    if number < minimum:
        if minimum == 1:
            raise InvalidParameter(_("应为正整数"))
        raise InvalidParameter(_("应为不小于%(minimum)d的整数") % {"minimum": minimum})
    return min(number, maximum)


def parse_date(value):
    """The date ``value`` holds as YYYY-MM-DD, None when it is blank; else InvalidParameter."""
    text = str(value or "").strip()
    if not text:
        return None
    if not _DATE.fullmatch(text):
        raise InvalidParameter(_("日期格式应为YYYY-MM-DD"))
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise InvalidParameter(_("没有这一天")) from error


def page_number(value):
    """A page number for ``Paginator.get_page``: 1 unless ``value`` reads as a positive integer.

    ``get_page`` turns a number past the end into the last page.
    """
    try:
        return parse_integer(value) or 1
    except InvalidParameter:
        return 1


class QueryParams:
    """One request's query string, read value by value; ``errors`` says what was unreadable.

    A parameter given twice (?a=1&a=2) is read as its last value, as ``QueryDict.get`` does.
    Each reader returns the default for a blank or unreadable value and, for an unreadable
    one, records its reason under its name in ``errors``.
    """

    def __init__(self, params):
        self.params = params
        self.errors = {}

    def raw(self, name):
        value = self.params.get(name)
        return "" if value is None else str(value)

    def _refuse(self, name, error, default):
        self.errors[name] = str(error)
        return default

    def text(self, name, max_length):
        return clean_text(self.raw(name), max_length)

    def integer(self, name, minimum=1, maximum=MAX_DATABASE_INTEGER, default=None):
        try:
            number = parse_integer(self.raw(name), minimum, maximum)
        except InvalidParameter as error:
            return self._refuse(name, error, default)
        return default if number is None else number

    def date(self, name):
        try:
            return parse_date(self.raw(name))
        except InvalidParameter as error:
            return self._refuse(name, error, None)

    def choice(self, name, choices, default=""):
        """One of ``choices`` (strings, compared exactly), else ``default``."""
        value = self.raw(name)
        if value in choices or not value:
            return value or default
        if len(choices) <= MAX_LISTED_CHOICES:
            reason = _("应为%(choices)s") % {"choices": _("或").join(choices)}
        else:
            reason = _("不是可选的取值")
        return self._refuse(name, InvalidParameter(reason), default)

    def matching(self, name, pattern, reason=None, default=""):
        """The trimmed value when ``pattern`` (a compiled regex) matches all of it."""
        value = self.raw(name).strip()
        if not value:
            return default
        if pattern.fullmatch(value):
            return value
        return self._refuse(name, InvalidParameter(reason or _("格式有误")), default)

    def page(self, name="page"):
        return page_number(self.raw(name))
