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

pytestmark = pytest.mark.django_db

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


def test_a_city_whose_list_is_now_empty_keeps_its_page_without_entries(client):
    _code, records = black_merchant()
    [(page, _)] = draft(Q3, [black_rule()])
    Disclosure.objects.filter(pk__in=[r.pk for r in records[:3]]).update(
        objection_state=Disclosure.ObjectionState.WITHDRAWN
    )
    [(again, created)] = draft(Q3, [black_rule()])
    assert not created and again.pk == page.pk
    assert ListEntry.objects.count() == 0
    again.get_latest_revision().publish()
    response = client.get(again.url)
    assert "本期没有经营者符合上榜条件。" in response.content.decode()


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


def test_a_published_list_shows_figures_denominators_and_records(client):
    _code, records = black_merchant(successes=4, failures=7)
    [(page, _)] = draft(Q3, [black_rule()])
    page.get_latest_revision().publish()
    html = client.get(page.url).content.decode()
    assert "长沙市2026年第三季度消费投诉黑榜" in html
    assert "调解成功 4 件 / 进入调解 11 件（36.4％）" in html
    assert "本窗口 11 件，上一窗口 0 件" in html
    assert "公示投诉至少10件" in html and "低于60％" in html
    assert "上榜展示至2026年12月31日" in html
    for record in records:
        assert f'href="/disclosures/{record.complaint_number}/"' in html
    index = client.get("/lists/").content.decode()
    assert "2026-Q3" in index and page.url in index


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
