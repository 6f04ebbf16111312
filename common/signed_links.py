"""Signed, expiring links for someone who has no account: a merchant answering a complaint, a
merchant told of its listing or objecting to a record.

Whoever holds the link is trusted with what it names, so the link goes only to a contact the
bureau registered (never typed on the public site). A token is signed with the site's
SECRET_KEY under a salt of its own purpose, so a token made for one purpose opens nothing else;
it carries its payload (small integers: the ids it names) and its expiry, and is not encrypted
(the ids it names are not secret).

    token = make("lists.notice", {"n": notice.pk, "m": merchant.pk}, expires_at)
    payload, expires_at = read("lists.notice", token)  # BadLink / ExpiredLink

The caller checks that what the payload names still holds (the complaint's merchant is still
the one named, the notice still exists): a valid signature only says the portal made it.
"""

import datetime

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

EXPIRY_KEY = "e"


class LinkError(Exception):
    """A link that opens nothing; the message, in Chinese, says so without saying more."""


class BadLink(LinkError):
    def __init__(self, message=None):
        super().__init__(message or _("该链接无效。请使用短信中的完整链接，或联系市场监管部门。"))


class ExpiredLink(LinkError):
    def __init__(self, message, payload):
        super().__init__(message or _("该链接已过期。"))
        self.payload = payload


def make(salt, payload, expires_at):
    """The signed token of ``payload`` (a dict of small values), valid until ``expires_at``."""
    if EXPIRY_KEY in payload:
        raise ValueError(f"the payload key {EXPIRY_KEY!r} holds the expiry")
    signed = dict(payload, **{EXPIRY_KEY: int(expires_at.timestamp())})
    return signing.dumps(signed, salt=salt, compress=False)


def read(salt, token, now=None, expired_message=None):
    """(payload, expires_at) of a token made by ``make`` with the same salt. Raises ``BadLink``
    when it was altered or made for another purpose, ``ExpiredLink`` (carrying the payload, so
    the page can say what expired) at or after its expiry."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=salt)
        expires_at = datetime.datetime.fromtimestamp(int(payload.pop(EXPIRY_KEY)), tz=datetime.UTC)
    except (signing.BadSignature, AttributeError, KeyError, TypeError, ValueError, OverflowError):
        raise BadLink() from None
    if now >= expires_at:
        raise ExpiredLink(expired_message, payload)
    return payload, expires_at


def integer(payload, key):
    """``payload[key]`` as an int; BadLink when missing or not a number."""
    try:
        return int(payload[key])
    except (KeyError, TypeError, ValueError):
        raise BadLink() from None
