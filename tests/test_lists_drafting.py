"""Drafting the red/black lists into the page tree, and the public list page.

Period 2026-Q3 with the shipped default rules; hand-built records in 长沙 (430100).
"""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from disclosures.models import Disclosure
from lists.drafting import draft
from lists.models import ListEntry, ListPage, ListRule
from lists.period import Quarter
from tests.disclosure_factories import make_disclosure
from tests.merchant_factories import credit_code
from tests.punctuation import half_width_marks, readable_text, source_findings

from .lists_notice_fixtures import catch_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(monkeypatch):
    return catch_texts(monkeypatch)


Q3 = Quarter.parse("2026-Q3")
NAME = "长沙市岳麓区王府井百货有限公司"


def complaints(code, count, result="调解成功", name=NAME):
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


def black_rule():
    return ListRule.objects.get(kind=ListRule.Kind.BLACK, is_current=True)


def black_merchant(successes=4, failures=7):
    code = credit_code("430104")
    records = complaints(code, successes) + complaints(code, failures, "调解不成功")
    return code, records


def test_drafting_writes_draft_pages_with_exact_figures():
    code, records = black_merchant(successes=5, failures=6)  # 11 complaints, 45.5 %
    [(page, created)] = draft(Q3, [black_rule()])
    assert created
    page.refresh_from_db()
    assert not page.live and page.has_unpublished_changes
    assert page.title == "长沙市2026年第三季度消费投诉黑榜"
    assert page.slug == "430100-2026-q3-black"
    assert page.url_path.endswith("/lists/430100-2026-q3-black/")
    assert page.get_parent().specific.title == "红黑榜" and page.get_parent().live
    assert page.listed_until == datetime.date(2026, 12, 31)
    [entry] = page.entries.all()
    assert (entry.rank, entry.credit_code, entry.name) == (1, code, NAME)
    assert (entry.complaints, entry.mediation_successes, entry.mediation_total) == (11, 5, 11)
    assert entry.previous_complaints == 0
    assert sorted(entry.record_ids) == sorted(record.pk for record in records)
    assert entry.get_objection_state_display() == "无异议"
    assert black_rule().used


def test_drafting_again_updates_the_same_page():
    code, _records = black_merchant(successes=4, failures=7)
    [(page, _)] = draft(Q3, [black_rule()])
    first_revisions = page.revisions.count()
    complaints(code, 2, "调解不成功")
    [(again, created)] = draft(Q3, [black_rule()])
    assert not created and again.pk == page.pk
    assert ListPage.objects.count() == 1
    assert ListEntry.objects.count() == 1
    assert ListEntry.objects.get().complaints == 13
    assert again.revisions.count() == first_revisions + 1
    assert not ListPage.objects.get().live


def test_a_city_whose_list_is_now_empty_keeps_its_page_without_entries():
    _code, records = black_merchant()
    [(page, _)] = draft(Q3, [black_rule()])
    Disclosure.objects.filter(pk__in=[r.pk for r in records[:3]]).update(
        objection_state=Disclosure.ObjectionState.WITHDRAWN
    )
    [(again, created)] = draft(Q3, [black_rule()])
    assert not created and again.pk == page.pk
    assert ListEntry.objects.count() == 0
    again.get_latest_revision().publish()
    assert ListPage.objects.get().live and not ListPage.objects.get().entries.exists()


def test_command_prints_the_admin_edit_address():
    black_merchant()
    out = StringIO()
    call_command("draft_lists", "--period", "2026-Q3", stdout=out)
    page = ListPage.objects.get(kind=ListRule.Kind.BLACK)
    address = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[page.id]
    )
    assert f"已新建草稿：长沙市2026年第三季度消费投诉黑榜（1家）{address}" in out.getvalue()
    out = StringIO()
    call_command("draft_lists", "--period", "2026-Q3", stdout=out)
    assert "已更新草稿：长沙市2026年第三季度消费投诉黑榜" in out.getvalue()
    assert ListPage.objects.filter(kind=ListRule.Kind.BLACK).count() == 1


def test_a_bad_period_is_a_chinese_error():
    with pytest.raises(CommandError, match="期间“2026年三季度”无法识别"):
        call_command("draft_lists", "--period", "2026年三季度", stdout=StringIO())
    assert not ListPage.objects.exists()


def test_a_published_list_links_the_records_behind_it(client):
    """The public page's layout is tests/test_lists_public.py's; here: what drafting wrote."""
    _code, records = black_merchant(successes=4, failures=7)
    [(page, _)] = draft(Q3, [black_rule()])
    page.get_latest_revision().publish()
    html = client.get(page.url).content.decode()
    assert "长沙市2026年第三季度消费投诉黑榜" in html
    for record in records:
        assert f'href="/disclosures/{record.complaint_number}/"' in html


def test_the_page_keeps_the_rule_version_it_was_drafted_with():
    black_merchant()
    rule = black_rule()
    [(page, _)] = draft(Q3, [rule])
    rule.min_complaints = 12
    rule.save()
    assert black_rule().version == 2
    page.refresh_from_db()
    assert page.rule.pk == rule.supersedes_id and page.rule.version == 1
    assert page.rule.min_complaints == 10


def test_list_pages_and_sources_take_full_width_marks(client):
    """What tests/test_fullwidth_punctuation.py checks, for pages the demo does not publish."""
    black_merchant()
    [(page, _)] = draft(Q3, [black_rule()])
    page.get_latest_revision().publish()
    for url in (page.url, "/lists/"):
        assert half_width_marks(readable_text(client.get(url).content.decode())) == [], url
    assert source_findings(Path(settings.BASE_DIR), ["lists"]) == []


def test_an_editor_opens_the_drafted_list_in_the_admin(admin_client):
    black_merchant()
    [(page, _)] = draft(Q3, [black_rule()])
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.id]))
    assert response.status_code == 200
    assert "长沙市岳麓区王府井百货有限公司" in response.content.decode()


# Redrafting after notices and objections ------------------------------------------------------


@pytest.fixture
def told(texts, django_user_model):
    """王府井 (4 of 11 mediated successfully) and 高明 on the list, told, 王府井 objecting."""
    from lists import notices

    from .lists_notice_fixtures import GAOMING, WANGFUJING
    from .lists_notice_fixtures import black_merchant as registered_black_merchant

    wangfujing, records = registered_black_merchant(WANGFUJING, 4, 7)
    gaoming, _ = registered_black_merchant(GAOMING, 2, 9, phone="13974120001")
    [(page, _)] = draft(Q3, [black_rule()])
    notices.send_notices(page)
    entry = page.entries.get(credit_code=wangfujing)
    objection = notices.file_objection(entry.notice, "两件投诉并非本公司门店。")
    reviewer = django_user_model.objects.create_user("shenhe")
    return {
        "page": page,
        "entry": entry,
        "records": records,
        "objection": objection,
        "reviewer": reviewer,
        "codes": (wangfujing, gaoming),
    }


def test_redrafting_keeps_the_entries_notices_and_objections(told, texts):
    from lists.models import EntryObjection, EntryObjectionState, ListNotice

    wangfujing, _gaoming = told["codes"]
    complaints(wangfujing, 2, "调解不成功")
    [(again, created)] = draft(Q3, [black_rule()])
    assert not created and ListPage.objects.count() == 1
    assert ListEntry.objects.count() == 2 and ListNotice.objects.count() == 2
    entry = ListEntry.objects.get(credit_code=wangfujing)
    assert entry.pk == told["entry"].pk and entry.complaints == 13
    assert entry.objection_state == EntryObjectionState.OBJECTED
    assert EntryObjection.objects.get().entry == entry
    from lists import notices

    assert notices.send_notices(again).sent == 0 and len(texts) == 2


def test_redrafting_does_not_bring_back_an_entry_an_upheld_objection_dropped(told):
    from lists import objections
    from lists.models import EntryChange

    objections.uphold_drop(told["objection"], told["reviewer"])
    [(again, _)] = draft(Q3, [black_rule()])
    assert [e.credit_code for e in again.entries.all()] == [told["codes"][1]]
    assert ListEntry.objects.get().rank == 1
    assert EntryChange.objects.filter(page=again).count() == 1


def test_redrafting_leaves_out_a_record_an_upheld_objection_removed(told):
    from lists import objections

    wangfujing, _gaoming = told["codes"]
    removed = told["records"][-1]
    objections.uphold_remove_records(told["objection"], told["reviewer"], [removed])
    complaints(wangfujing, 1, "调解不成功")  # a new complaint since: 11 - 1 + 1
    draft(Q3, [black_rule()])
    entry = ListEntry.objects.get(credit_code=wangfujing)
    assert removed.pk not in entry.record_ids
    assert (entry.complaints, entry.mediation_successes, entry.mediation_total) == (11, 4, 11)


def test_staff_draft_a_period_from_the_admin(admin_client):
    black_merchant()
    url = reverse("lists_admin:draft")
    assert "起草红黑榜" in admin_client.get(url).content.decode()
    html = admin_client.post(url, {"period": "2026-Q3"}).content.decode()
    page = ListPage.objects.get(kind=ListRule.Kind.BLACK)
    assert "已新建草稿" in html and reverse("wagtailadmin_pages:edit", args=[page.id]) in html
    html = admin_client.post(url, {"period": "2026-Q3"}).content.decode()
    assert "已更新草稿" in html and ListPage.objects.filter(kind=ListRule.Kind.BLACK).count() == 1
    html = admin_client.post(url, {"period": "2026年三季度"}).content.decode()
    assert "期间“2026年三季度”无法识别" in html
