"""Masking a complainant's personal data in complaint text before it is stored.

Disclosed complaints (《市场监督管理投诉信息公示暂行规则》) must never identify the consumer, yet
summaries are typed by people and often carry a phone number, an ID number or a name. Every
summary and request is passed through ``scrub`` on import, and only the masked text is kept.

Masks keep the text readable and the kind of data recognisable (``138****5678``, ``张某``), so a
reader still understands "the consumer left a phone number" without learning it. Order matters:
longer digit runs (ID and bank card numbers) are masked before the 11-digit mobile pattern could
match inside them. Prices, dates, order amounts and the like are left alone: every digit pattern
is anchored so it cannot match inside a longer number, and bank cards must pass the Luhn check.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

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

_NOT_DIGIT_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_DIGIT_AFTER = r"(?![0-9A-Za-z])"
_DATE_PART = r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"

ID_18_RE = re.compile(
    _NOT_DIGIT_BEFORE + r"[1-9]\d{5}" + _DATE_PART + r"\d{3}[0-9Xx]" + _NOT_DIGIT_AFTER
)
ID_15_RE = re.compile(
    _NOT_DIGIT_BEFORE
    + r"[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
    + _NOT_DIGIT_AFTER
)
# 16 to 19 digits, optionally in groups of four as printed on the card.
BANK_CARD_RE = re.compile(_NOT_DIGIT_BEFORE + r"\d(?:[ -]?\d){15,18}" + _NOT_DIGIT_AFTER)
MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})" + _NOT_DIGIT_AFTER
)
# Area code 0xx or 0xxx, then 7 or 8 digits. 400/800 numbers are businesses', not people's.
LANDLINE_RE = re.compile(
    _NOT_DIGIT_BEFORE
    + r"(0[1-9]\d{1,2})([)）]?[ \-－—]?)([2-9]\d{2,3})[ -]?(\d{4})"
    + _NOT_DIGIT_AFTER
)
EMAIL_RE = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
QQ_RE = re.compile(r"((?:QQ|qq|Qq|扣扣)(?:号码|号)?\s*[::]?\s*)([1-9]\d{4,11})" + _NOT_DIGIT_AFTER)
WECHAT_RE = re.compile(
    r"((?:微信|威信|VX|vx|Vx|WX|wx|weixin)(?:号码|号|ID|id)?\s*[::]?\s*)"
    r"([A-Za-z][-_A-Za-z0-9]{5,19})"
)
PLATE_RE = re.compile(
    r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z])"
    r"[·•.]?([A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学]?)" + _NOT_DIGIT_AFTER
)

# Words after which a personal name usually follows in complaint text.
NAME_TRIGGERS = (
    "本人",
    "我叫",
    "我是",
    "消费者",
    "投诉人",
    "投诉者",
    "申请人",
    "举报人",
    "委托人",
    "联系人",
    "当事人",
    "姓名",
    "名叫",
    "客户",
    "顾客",
    "家属",
)
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "司徒",
    "夏侯",
)
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳"
    "甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解"
    "牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边"
    "卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
# A name stops before these: they start the words that usually follow one.
NAME_STOP_CHARS = set(
    "于在因向到与和及的称说反来诉购买表示通过电话手机家住现年男女先生士同学老师等已经曾就对从把被将"
)
_CJK = "\u4e00-\u9fff"
NAME_RE = re.compile("(" + "|".join(NAME_TRIGGERS) + r")(\s*[::]?\s*)([" + _CJK + r"]{2,4})")


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


def _split_name(candidate):
    """(surname, given name) when ``candidate`` starts with a plausible full name, else None."""
    surname = next((s for s in COMPOUND_SURNAMES if candidate.startswith(s)), None)
    if surname is None and candidate[0] in SURNAMES:
        surname = candidate[0]
    if surname is None:
        return None
    given = ""
    for char in candidate[len(surname) :]:
        if char in NAME_STOP_CHARS or len(given) == 2:
            break
        given += char
    if not given:
        return None  # 消费者张先生, 投诉人王女士: already anonymous
    return surname, given


class _Scrubber:
    def __init__(self):
        self.counts = Counter()

    def id_number(self, match):
        value = match.group(0)
        self.counts["id_number"] += 1
        return value[:4] + _stars(len(value) - 8) + value[-4:]

    def bank_card(self, match):
        value = match.group(0)
        digits = re.sub(r"\D", "", value)
        if not 16 <= len(digits) <= 19 or not _luhn_ok(digits):
            return value  # an order or tracking number, not a card
        self.counts["bank_card"] += 1
        return digits[:4] + _stars(len(digits) - 8) + digits[-4:]

    def mobile(self, match):
        self.counts["mobile"] += 1
        return f"{match.group(1)}****{match.group(3)}"

    def landline(self, match):
        self.counts["landline"] += 1
        return f"{match.group(1)}{match.group(2)}****{match.group(4)}"

    def email(self, match):
        self.counts["email"] += 1
        return f"{match.group(1)}***@{match.group(2)}"

    def qq(self, match):
        self.counts["qq"] += 1
        number = match.group(2)
        return match.group(1) + number[:2] + _stars(len(number) - 2)

    def wechat(self, match):
        self.counts["wechat"] += 1
        account = match.group(2)
        return match.group(1) + account[0] + _stars(len(account) - 1)

    def plate(self, match):
        self.counts["plate"] += 1
        return match.group(1) + _stars(len(match.group(2)))

    def name(self, match):
        parts = _split_name(match.group(3))
        if parts is None:
            return match.group(0)
        surname, given = parts
        self.counts["name"] += 1
        rest = match.group(3)[len(surname) + len(given) :]
        return match.group(1) + match.group(2) + surname + "某" + rest


# (pattern, handler name, what the text must hold for the pattern to match at all), in this
# order. Most complaint text holds no digit, Latin letter, @ or name trigger: checking for
# those once is cheaper than ten regex scans, and halves the scrubbing of a large import.
_STEPS = [
    (EMAIL_RE, "email", "at"),
    (ID_18_RE, "id_number", "four_digits"),
    (ID_15_RE, "id_number", "four_digits"),
    # A card number may be written with a space between any digits: any digit will do.
    (BANK_CARD_RE, "bank_card", "digit"),
    (QQ_RE, "qq", "four_digits"),
    (WECHAT_RE, "wechat", "latin"),
    (MOBILE_RE, "mobile", "four_digits"),
    (LANDLINE_RE, "landline", "four_digits"),
    (PLATE_RE, "plate", "latin"),
    (NAME_RE, "name", "trigger"),
]
_HAS_DIGIT = re.compile(r"\d").search
# Every match of the ID, QQ, mobile and landline patterns holds four digits in a row; a price
# (399元) or a day (12月20日) does not, and then those four patterns are skipped.
_HAS_FOUR_DIGITS = re.compile(r"\d{4}").search
_HAS_LATIN = re.compile(r"[A-Za-z]").search
_HAS_TRIGGER = re.compile("|".join(NAME_TRIGGERS)).search


def scrub(text):
    """The text with personal data masked, and how many of each kind were masked."""
    result = text or ""
    present = {
        "at": "@" in result,
        "digit": _HAS_DIGIT(result) is not None,
        "four_digits": _HAS_FOUR_DIGITS(result) is not None,
        "latin": _HAS_LATIN(result) is not None,
        "trigger": _HAS_TRIGGER(result) is not None,
    }
    if not any(present.values()):
        return ScrubResult(result)
    scrubber = _Scrubber()
    for pattern, handler, needs in _STEPS:
        if present[needs]:
            result = pattern.sub(getattr(scrubber, handler), result)
    return ScrubResult(result, scrubber.counts)


def describe_counts(counts):
    """手机号 3 处、姓名 2 处: the batch report's line."""
    return "、".join(
        f"{KIND_LABELS[kind]} {counts[kind]} 处" for kind in KIND_LABELS if counts.get(kind)
    )
