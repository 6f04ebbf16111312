"""The public code of 一企一码: short, random, read aloud over the phone without mistakes.

Eight characters from 22 that cannot be confused with each other (no 0/O/D, 1/I/L, 2/Z, 5/S,
8/B, U/V): about 5.5 × 10^10 codes, so guessing a valid one is hopeless and no sequence leaks
how many merchants there are.
"""

import re
import secrets

ALPHABET = "34679ACEFGHJKMNPQRTWXY"
LENGTH = 8
CODE_RE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(value):
    return (value or "").strip().upper()


def looks_valid(value):
    return bool(CODE_RE.match(value or ""))
