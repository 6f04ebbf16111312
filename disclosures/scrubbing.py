"""Masking a complainant's personal data in complaint text before it is stored.

Disclosed complaints (《市场监督管理投诉信息公示暂行规则》) must never identify the consumer, yet
summaries are typed by people and often carry a phone number, an ID number or a name. Every
summary and request is passed through ``scrub`` on import, and only the masked text is kept; so
is every reason an import gives for a bad row, which may quote a cell.

Masks keep the text readable and the kind of data recognisable (``138****5678``, ``张某``), so a
reader still understands "the consumer left a phone number" without learning it.

It has to hold both ways, since the raw text is not kept and a false mask is lost for good:
every planted item of ``tests/data/scrubbing_personal.tsv`` is masked and no sentence of
``tests/data/scrubbing_clean.txt`` changes (``bench/scrubbing.py`` prints the figures).

* Matching runs on a normalised copy and masks the original. People type full-width digits,
  letters, ``：`` and ``＠`` (``１３９…``, ``QQ：…``, ``zhaosi＠qq.com``): the copy maps every
  full-width and small form to its ASCII character, which is its NFKC form. Only these
  one-to-one mappings are applied, so a span of the copy is the same span of the original; the
  NFKC forms that change the length (``……``, ``℃``, ``㎡``) never make up personal data.
* Digit patterns are anchored so that they cannot match inside a longer number, and accept
  the separators people type (``138 1234 5678``, ``138-1234-5678``, ``138.1234.5678``); a
  mobile number is also found in Chinese numerals (一三八一二三四五六七八).
* A 16 to 19 digit run that passes the Luhn check is told apart by the nearest word before it:
  after 订单号, 快递单号, 流水号, 交易号, 编号 … it is an order or tracking number and stays;
  after 卡号, 银行卡, 信用卡, 账号, 转账到 … it is a card. With neither it is masked as a card
  (as before): a masked order number costs a reader little, a published card number cannot be
  taken back. ID numbers are masked wherever they stand: their date part makes them distinct.
* Names are looked for after the words a name follows (消费者, 投诉人, 本人, 我叫, 姓名：, see
  ``personal_names``) and in 我姓张名三丰. A surname right after such a word is often an
  ordinary word (消费者申请退款, 投诉人马上联系), which ``personal_names.name_length`` tells.
  王女士, 张先生 and 李某 are anonymous already and stay.

Most complaint text holds no digit, no Latin letter, no @ and no full-width form: a few cheap
tests decide which patterns can match at all before any of them runs.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from search.text_analysis import ASCII_FORMS

from .personal_names import (
    COMPOUND_SURNAMES,
    NAME_START_CHARS,
    NAME_TRIGGERS,
    STRONG_NAME_TRIGGERS,
    SURNAMES,
    name_length,
)

KIND_LABELS = {
    "id_number": "身份证号",
    "bank_card": "银行卡号",
    "mobile": "手机号",
    "landline": "固定电话",
    "email": "电子邮箱",
    "qq": "QQ号",
    "wechat": "微信号",
    "plate": "车牌号",
    "name": "姓名",
}


# --- the normalised copy --------------------------------------------------------------------


# The copy is mapped with ``ASCII_FORMS``, the tokeniser's too. The patterns accept the
# full-width colon and brackets as they are, and the others do not matter to them: text whose
# only full-width forms are these (most text) needs no copy.
_LEFT_AS_THEY_ARE = "，。：；！？（）"
_NEEDS_COPY = re.compile(
    "["
    + "".join(re.escape(chr(code)) for code in ASCII_FORMS if chr(code) not in _LEFT_AS_THEY_ARE)
    + "]"
).search


def normalised(text):
    """``text`` with its full-width forms in ASCII, of the same length: spans carry over."""
    return text.translate(ASCII_FORMS) if _NEEDS_COPY(text) else text


# --- patterns, matched on the copy ----------------------------------------------------------

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_COLON = r"[:：﹕]"
_DATE_PART = r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"

ID_18_RE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"[1-9][0-9]{5}[ -]?"
    + _DATE_PART
    + r"[ -]?[0-9]{3}[0-9Xx]"
    + _NOT_ALNUM_AFTER
)
ID_15_RE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"[1-9][0-9]{5}[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}"
    + _NOT_ALNUM_AFTER
)
# 16 to 19 digits, optionally in groups as printed on the card.
BANK_CARD_RE = re.compile(_NOT_ALNUM_BEFORE + r"[0-9](?:[ -]?[0-9]){15,18}" + _NOT_ALNUM_AFTER)
_PHONE_SEPARATOR = r"[-. \u2013\u2014]?"
MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z+])(?:\(?(?:\+|00)?86\)?[ -]?)?(1[3-9][0-9])"
    + _PHONE_SEPARATOR
    + r"([0-9]{4})"
    + _PHONE_SEPARATOR
    + r"([0-9]{4})"
    + _NOT_ALNUM_AFTER
)
# A mobile number in Chinese numerals, as typed to slip past filters: 一三八一二三四五六七八.
# No look-behind in front (it would slow the scan of every text): the handler checks.
_CHINESE_DIGITS = "〇零一二三四五六七八九幺"
CHINESE_MOBILE_RE = re.compile(
    f"([一幺][三四五六七八九][{_CHINESE_DIGITS}])"
    f"([{_CHINESE_DIGITS}]{{4}})([{_CHINESE_DIGITS}]{{4}})(?![{_CHINESE_DIGITS}])"
)
# Area code 0xx or 0xxx, then 7 or 8 digits. 400/800 numbers are businesses', not people's.
LANDLINE_RE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(0[1-9][0-9]{1,2})([)）]?[ \-—]?)([2-9][0-9]{2,3})[ -]?([0-9]{4})"
    + _NOT_ALNUM_AFTER
)
EMAIL_RE = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
QQ_RE = re.compile(
    r"((?<![A-Za-z])(?:[Qq]{2}|扣扣)(?:号码|号)?(?:是|为)?\s*"
    + _COLON
    + r"?\s*)([1-9][0-9]{4,11})"
    + _NOT_ALNUM_AFTER
)
WECHAT_RE = re.compile(
    r"((?:微信|威信|薇信|(?<![A-Za-z])(?i:vx|wx|wechat|weixin))(?:号码|号|ID|id)?(?:是|为)?\s*"
    + _COLON
    + r"?\s*)([A-Za-z][-_A-Za-z0-9]{5,19})"
    + _NOT_ALNUM_AFTER
)
PLATE_RE = re.compile(
    r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z])"
    r"[·•. ]?([A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学]?)" + _NOT_ALNUM_AFTER
)
# 我姓张名三丰, 姓欧阳，名晓晓: the given name after 名.
SURNAME_GIVEN_RE = re.compile(
    "姓("
    + "|".join(COMPOUND_SURNAMES)
    + "|["
    + "".join(sorted(SURNAMES))
    + "])[，,、 ]?名(?:叫|字叫|字是)?(?!字)([\u4e00-\u9fff]{1,2})"
)
# The words a name follows; what may stand between the word and the name.
NAME_TRIGGER_RE = re.compile(
    "|".join(sorted(STRONG_NAME_TRIGGERS + NAME_TRIGGERS, key=len, reverse=True))
)
_STRONG = set(STRONG_NAME_TRIGGERS)
_SEPARATOR_RE = re.compile(r"[ \t\u3000]*" + _COLON + r"?[ \t\u3000]*")
_STRONG_SEPARATOR_RE = re.compile(r"(?:是|为|叫)?[ \t\u3000]*" + _COLON + r"?[ \t\u3000]*")
_SEPARATOR_START = set(" \t\u3000:：﹕")
# The Chinese characters after a trigger word, and what ends them (a comma says a name ended).
_WINDOW_RE = re.compile("[\u4e00-\u9fff]{1,8}[^\u4e00-\u9fff]?")

# The words just before a Luhn-valid digit run that say what it is (the nearest one counts).
_CARD_WORDS = (
    "卡号",
    "银行卡",
    "储蓄卡",
    "借记卡",
    "信用卡",
    "账号",
    "帐号",
    "转账到",
    "转入",
    "打到",
)
_ORDER_WORDS = (
    "订单号",
    "订单编号",
    "单号",
    "运单号",
    "流水号",
    "交易号",
    "编号",
    "订单",
    "条码",
    "序列号",
    "发票号",
)
_NUMBER_CONTEXT_RE = re.compile("|".join(sorted(_CARD_WORDS + _ORDER_WORDS, key=len, reverse=True)))
_ORDER_WORD_SET = set(_ORDER_WORDS)
# How far before a digit run its word may stand (订单号：, 交易流水号为 …).
_CONTEXT_CHARS = 12


# --- masking --------------------------------------------------------------------------------


@dataclass
class ScrubResult:
    text: str
    counts: Counter = field(default_factory=Counter)


def _luhn_ok(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _stars(count):
    return "*" * max(count, 1)


class _Masker:
    """Spans to replace, found on the normalised copy: the first pattern to claim a span keeps
    it. ``result`` writes the original text with the spans replaced."""

    __slots__ = ("copy", "original", "spans")

    def __init__(self, original, copy):
        self.original = original
        self.copy = copy
        self.spans = []  # (start, end, replacement, kind)

    def free(self, start, end):
        return all(end <= taken[0] or start >= taken[1] for taken in self.spans)

    def add(self, start, end, replacement, kind):
        if self.free(start, end):
            self.spans.append((start, end, replacement, kind))

    def result(self):
        if not self.spans:
            return ScrubResult(self.original)
        parts, position, counts = [], 0, Counter()
        for start, end, replacement, kind in sorted(self.spans):
            parts += [self.original[position:start], replacement]
            position = end
            counts[kind] += 1
        parts.append(self.original[position:])
        return ScrubResult("".join(parts), counts)

    def _kept(self, match, group):
        """A group of the match as the original has it (full-width digits stay full-width)."""
        return self.original[match.start(group) : match.end(group)]

    def _long_number(self, match, kind):
        """Four digits, stars, four digits, as typed, without the separators."""
        start, end = match.span()
        digits = [self.original[i] for i in range(start, end) if self.copy[i] not in " -"]
        masked = "".join(digits[:4]) + _stars(len(digits) - 8) + "".join(digits[-4:])
        self.add(start, end, masked, kind)

    # One method per pattern, each given a match on the copy.

    def id_number(self, match):
        self._long_number(match, "id_number")

    def bank_card(self, match):
        digits = re.sub(r"[^0-9]", "", match.group(0))
        if _luhn_ok(digits) and not self._after_order_word(match.start()):
            self._long_number(match, "bank_card")

    def _after_order_word(self, start):
        words = _NUMBER_CONTEXT_RE.findall(self.copy, max(start - _CONTEXT_CHARS, 0), start)
        return bool(words) and words[-1] in _ORDER_WORD_SET

    def mobile(self, match):
        masked = self._kept(match, 1) + "****" + self._kept(match, 3)
        self.add(*match.span(), masked, "mobile")

    def chinese_mobile(self, match):
        if match.start() and self.copy[match.start() - 1] in _CHINESE_DIGITS:
            return  # inside a longer run of numerals
        self.mobile(match)

    def landline(self, match):
        masked = self.original[match.start(1) : match.end(2)] + "****" + self._kept(match, 4)
        self.add(*match.span(), masked, "landline")

    def email(self, match):
        masked = self.original[match.start(1)] + "***@" + self._kept(match, 2)
        self.add(*match.span(), masked, "email")

    def qq(self, match):
        number = self._kept(match, 2)
        self.add(*match.span(2), number[:2] + _stars(len(number) - 2), "qq")

    def wechat(self, match):
        account = self._kept(match, 2)
        self.add(*match.span(2), account[0] + _stars(len(account) - 1), "wechat")

    def plate(self, match):
        if not re.search("[0-9]", match.group(2)):
            return  # 新ABCD: a model name; every plate holds a digit
        self.add(match.end(1), match.end(2), _stars(len(match.group(2))), "plate")

    def surname_and_given(self, match):
        self.add(*match.span(2), "某", "name")

    def name_after_trigger(self, match):
        copy, end = self.copy, match.end()
        following = copy[end : end + 1]
        strong = match.group(0) in _STRONG
        # Cheap first: most trigger words are followed by a word that cannot start a name.
        if following not in NAME_START_CHARS and following not in _SEPARATOR_START:
            if not (strong and following in ("是", "为", "叫")):
                return
        if match.start() and copy[match.start() - 1] == "被":
            return  # 被投诉人, 被申请人: the business, whose name is public
        start = (_STRONG_SEPARATOR_RE if strong else _SEPARATOR_RE).match(copy, end).end()
        window = _WINDOW_RE.match(copy, start)
        if window is None or window.group(0)[0] not in NAME_START_CHARS:
            return
        found = name_length(window.group(0), strong)
        if found:
            surname, given = found
            self.add(start + surname, start + surname + given, "某", "name")


# (pattern, method, what the copy must hold for the pattern to match at all), in this order:
# a span once claimed is not looked at again, so longer numbers go before the shorter ones
# that could match inside them.
_STEPS = [
    (EMAIL_RE, "email", "at"),
    (ID_18_RE, "id_number", "five_digits"),
    (ID_15_RE, "id_number", "five_digits"),
    (BANK_CARD_RE, "bank_card", "sixteen_digits"),
    (QQ_RE, "qq", "five_digits"),
    (WECHAT_RE, "wechat", "latin"),
    (MOBILE_RE, "mobile", "seven_digits"),
    (LANDLINE_RE, "landline", "seven_digits"),
    (CHINESE_MOBILE_RE, "chinese_mobile", "always"),
    (PLATE_RE, "plate", "latin"),
    (SURNAME_GIVEN_RE, "surname_and_given", "surname"),
    (NAME_TRIGGER_RE, "name_after_trigger", "always"),
]
# A year (2025年) or a price (2999元) does not hold five digits in a row; every ID and QQ
# number does. Phones and cards may be typed in groups: they hold 7 or 16 digits, separators
# between.
_ANY_PRESENT = re.compile("[0-9A-Za-z@姓]").search
_PRESENT = {
    "at": re.compile("@").search,
    "five_digits": re.compile("[0-9]{5}").search,
    "seven_digits": re.compile(r"[0-9](?:[-. )）\u2013\u2014]{0,2}[0-9]){6}").search,
    "sixteen_digits": re.compile("[0-9](?:[ -]?[0-9]){15}").search,
    "latin": re.compile("[A-Za-z]").search,
    "surname": re.compile("姓").search,
}


def scrub(text):
    """The text with personal data masked, and how many of each kind were masked."""
    original = text or ""
    copy = normalised(original)
    present = {"always": True}
    if not _ANY_PRESENT(copy):
        present.update(dict.fromkeys(_PRESENT, False))
    masker = _Masker(original, copy)
    for pattern, method, needs in _STEPS:
        if needs not in present:
            present[needs] = _PRESENT[needs](copy) is not None
        if present[needs]:
            handle = getattr(masker, method)
            for match in pattern.finditer(copy):
                handle(match)
    return masker.result()


def describe_counts(counts):
    """手机号 3 处、姓名 2 处: the batch report's line."""
    return "、".join(
        f"{KIND_LABELS[kind]} {counts[kind]} 处" for kind in KIND_LABELS if counts.get(kind)
    )
