"""统一社会信用代码 (GB 32100-2015): normalisation and the check character.

The code has 18 characters from a 31-character alphabet (digits and capitals without I, O, Z,
S, V). Characters 1-17 are weighted by 3^i mod 31 and the 18th is the check character, so a
mistyped or invented code is caught before it reaches the registry.
"""

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_SHAPE_RE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")
_SPACES_RE = re.compile(r"[\s\-]+")


class CreditCodeError(ValueError):
    """Why a string is not a valid unified social credit code, in words an editor reads."""


def normalize(value):
    """Upper case, full-width to half-width, spaces and dashes dropped (as typed from paper)."""
    text = (value or "").strip()
    text = text.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})
    return _SPACES_RE.sub("", text).upper()


def check_character(first_17):
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first_17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def validate(value):
    """Return the normalised code, or raise CreditCodeError saying what is wrong."""
    code = normalize(value)
    if not code:
        raise CreditCodeError("统一社会信用代码为空")
    if len(code) != LENGTH:
        raise CreditCodeError(f"统一社会信用代码应为18位，实为{len(code)}位")
    if not _SHAPE_RE.match(code):
        bad = sorted({char for char in code if char not in ALPHABET})
        raise CreditCodeError(f"统一社会信用代码含有不允许的字符：{''.join(bad)}")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(f"统一社会信用代码校验位错误（第18位应为{expected}）")
    return code


def is_valid(value):
    try:
        validate(value)
    except CreditCodeError:
        return False
    return True


def with_check_character(first_17):
    """A complete code from its first 17 characters (for demo data and tests)."""
    return first_17 + check_character(first_17)
