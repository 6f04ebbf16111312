"""A black list of 长沙 for 2026-Q3 with registered merchants, for the notice, objection and
publication tests: complaints in the window, a draft page, texts caught instead of sent."""

import datetime
import re
from zoneinfo import ZoneInfo

from lists.drafting import draft
from lists.models import ListPage, ListRule
from lists.period import Quarter
from tests.disclosure_factories import make_disclosure
from tests.merchant_factories import credit_code, make_merchant

Q3 = Quarter.parse("2026-Q3")
SHANGHAI = ZoneInfo("Asia/Shanghai")
WANGFUJING = "长沙市岳麓区王府井百货有限公司"
GAOMING = "长沙市岳麓区高明电器有限公司"
LUGU = "长沙市岳麓区麓谷优选超市有限公司"


def complaints(code, count, result, name):
    day = datetime.date(2026, 8, 3)
    return [
        make_disclosure(
            credit_code=code,
            result=result,
            region="430104",
            respondent_name=name,
            complained_on=day,
            disclosed_on=day + datetime.timedelta(days=20),
            display_until=day + datetime.timedelta(days=385),
        )
        for _ in range(count)
    ]


def black_merchant(name, successes, failures, phone="13807311234", registered=True):
    """(credit code, records): ``successes`` 调解成功 and ``failures`` 调解不成功 complaints;
    registered as a pledge merchant with ``phone`` as its private contact when asked."""
    code = credit_code("430104")
    records = complaints(code, successes, "调解成功", name)
    records += complaints(code, failures, "调解不成功", name)
    if registered:
        make_merchant(
            registered_name=name, shop_name=name[6:], credit_code=code, contact_phone=phone
        )
    return code, records


def black_rule():
    return ListRule.objects.get(kind=ListRule.Kind.BLACK, is_current=True)


def draft_black():
    [(page, _created)] = draft(Q3, [black_rule()])
    return ListPage.objects.get(pk=page.pk)


def local(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def link_path(message):
    return re.search(r"https?://[^/]+(/list-notice/[^/]+/)", message).group(1)


def catch_texts(monkeypatch):
    """For each test module's ``texts`` fixture: the messages the SMS backend would send,
    [(phone, message, params)], caught instead of sent."""
    from complaints import sms

    sent = []
    monkeypatch.setattr(
        sms, "send", lambda phone, message, **params: sent.append((phone, message, params))
    )
    return sent
