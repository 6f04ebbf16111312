"""The public red/black lists: /lists/ (current by city, every list by period), a list's page
with its figures, records and log, a merchant's listings, the CSV, JSON and RSS of every list."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from demo.lists import ensure_demo_lists, last_complete_quarter, quarter_before
from disclosures.models import Disclosure
from lists.models import EntryChange, EntryObjectionState, ListPage
from tests.disclosure_factories import make_disclosure
from tests.list_factories import entry, make_list
from tests.merchant_factories import credit_code
from tests.punctuation import half_width_marks, readable_text, source_findings

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
SHOP = "长沙市岳麓区麓谷优选超市有限公司"
GARAGE = "长沙市芙蓉区福满汽车维修有限公司"


def records(code, name, count, result="调解不成功"):
    return [
        make_disclosure(credit_code=code, respondent_name=name, result=result) for _ in range(count)
    ]


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def sections(page_html):
    """(the current lists part, the by-period part) of /lists/."""
    current, _sep, archive = page_html.partition("各期榜单")
    return current, archive


def test_a_list_is_current_up_to_its_last_day_then_archived(client):
    code = credit_code("430104")
    ending_today = make_list("black", "2026-Q3", TODAY, [entry(SHOP, code)])
    ended = make_list("black", "2026-Q2", YESTERDAY, [entry(SHOP, code)])
    current, archive = sections(html(client, "/lists/"))
    assert ending_today.url in current and ended.url not in current
    assert ending_today.url in archive and ended.url in archive
    assert "2026年第2季度" in archive and "已归档" in archive
    assert "本榜展示中" in html(client, ending_today.url)
    until = f"{YESTERDAY.year}年{YESTERDAY.month}月{YESTERDAY.day}日"
    assert f"本榜已归档：展示期已于{until}结束" in html(client, ended.url)


def test_red_and_black_lists_of_a_city_stand_side_by_side(client):
    black = make_list("black", entries=[entry(GARAGE, credit_code("430102"))])
    red = make_list("red", entries=[entry(SHOP, credit_code("430104"), complaints=0)])
    current, _archive = sections(html(client, "/lists/"))
    city = current[current.index("长沙市</h3>") :]
    assert city.index(red.url) < city.index(black.url)
    assert "上榜 1 家" in city


def test_a_draft_list_is_never_shown(client):
    code = credit_code("430104")
    draft = make_list("black", entries=[entry(SHOP, code)], live=False)
    assert draft.title not in html(client, "/lists/")
    assert client.get("/lists/430100-2026-q3-black/").status_code == 404
    assert client.get(reverse("lists:csv", args=[draft.slug])).status_code == 404
    assert client.get(reverse("lists:json", args=[draft.slug])).status_code == 404
    assert client.get(reverse("lists:merchant", args=[code])).status_code == 404
    assert draft.title not in html(client, reverse("lists:feed"))
    assert draft.slug not in html(client, reverse("lists:lists_json"))


def test_an_entry_shows_its_figures_with_denominators_and_its_records(client):
    code = credit_code("430102")
    behind = records(code, GARAGE, 3)
    page = make_list(
        "black",
        entries=[
            entry(
                GARAGE,
                code,
                behind,
                rank=2,
                region_code="430102",
                complaints=13,
                previous_complaints=26,
                mediation_successes=9,
                mediation_total=13,
                settlement_failures=2,
                settlement_total=5,
                objection_state=EntryObjectionState.REJECTED,
            )
        ],
    )
    text = html(client, page.url)
    assert "长沙市2026年第三季度消费投诉黑榜" in text
    assert "上榜规则：市级消费投诉黑榜（第1版）" in text and "公示投诉至少10件" in text
    assert f'id="m-{code}"' in text and "第2名" in text and "湖南省长沙市芙蓉区" in text
    assert "9／13</strong>（69.2％）" in text
    assert "上一窗口 26 件，减少 50.0％" in text
    assert "2／5</strong>（40.0％）" in text and "转先行和解件数" in text
    assert "超期办理" not in text  # no desk figure: nothing to show, not a zero
    assert "异议：异议不成立" in text
    assert "所依据的投诉记录（3件）" in text
    for record in behind:
        assert f'href="/disclosures/{record.complaint_number}/"' in text
    assert reverse("lists:merchant", args=[code]) in text


def test_a_withdrawn_record_stays_counted_but_is_not_linked(client):
    code = credit_code("430104")
    behind = records(code, SHOP, 3)
    Disclosure.objects.filter(pk=behind[0].pk).update(
        objection_state=Disclosure.ObjectionState.WITHDRAWN
    )
    page = make_list("black", entries=[entry(SHOP, code, behind)])
    text = html(client, page.url)
    assert behind[0].complaint_number not in text
    assert f'href="/disclosures/{behind[1].complaint_number}/"' in text
    assert "所依据的投诉记录（2件）" in text
    assert "另有 1 件记录已撤回或公示期已满，不再公开。" in text


def test_the_red_list_shows_pledge_days_and_the_correction_log(client):
    code = credit_code("430104")
    page = make_list(
        "red",
        entries=[
            entry(
                SHOP,
                code,
                complaints=1,
                previous_complaints=0,
                mediation_successes=1,
                mediation_total=1,
                pledge_days=92,
                period_days=92,
            )
        ],
    )
    EntryChange.objects.create(
        page=page,
        entry=page.entries.get(),
        description=f"{SHOP}的一件投诉经核查已撤回，上榜数据已更正。",
    )
    text = html(client, page.url)
    assert "92／92</strong> 天" in text and "本季度天数" in text
    assert "1／1</strong>（100.0％）" in text
    assert "上一窗口 0 件" in text and "增长" not in text
    assert f"{SHOP}的一件投诉经核查已撤回，上榜数据已更正。" in text
    assert "本榜发布以来没有更正" not in text


def test_a_merchant_history_lists_every_published_listing(client):
    code = credit_code("430102")
    current = make_list("black", "2026-Q3", entries=[entry(GARAGE, code, rank=3)])
    archived = make_list("black", "2026-Q2", YESTERDAY, entries=[entry(GARAGE, code, rank=1)])
    make_list("black", "2026-Q4", entries=[entry(GARAGE, code)], live=False)
    text = html(client, reverse("lists:merchant", args=[code]))
    assert f"{GARAGE}的上榜记录" in text
    assert "共上榜 2 次" in text
    assert f"{current.url}#m-{code}" in text and f"{archived.url}#m-{code}" in text
    assert "2026年第3季度 · 第3名" in text and "2026年第2季度 · 第1名" in text
    assert "已归档" in text and "2026年第4季度" not in text
    assert text.index("2026年第3季度") < text.index("2026年第2季度")


def test_a_merchant_never_listed_or_a_bad_code_is_404(client):
    assert client.get(reverse("lists:merchant", args=[credit_code("430104")])).status_code == 404
    assert client.get("/lists/merchants/91430104MA4000000/").status_code == 404


def test_the_csv_has_chinese_headers_every_figure_and_safe_text(client):
    code = credit_code("430104")
    formula = '=HYPERLINK("http://evil.example","点击")'
    behind = records(code, formula, 2)
    page = make_list(
        "black",
        entries=[entry(formula, code, behind, complaints=6, previous_complaints=8)],
    )
    response = client.get(reverse("lists:csv", args=[page.slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header, row = rows
    cells = dict(zip(header, row, strict=True))
    assert cells["经营者名称"] == "'" + formula
    assert cells["统一社会信用代码"] == code
    assert cells["窗口内公示投诉（件）"] == "6"
    assert cells["投诉增长率（％）"] == "-25.0"  # a number, not text behind an apostrophe
    assert (cells["调解成功（件）"], cells["进入调解（件）"]) == ("4", "11")
    assert cells["调解成功率（％）"] == "36.4"
    assert cells["先行和解拒绝或未答复（件）"] == ""
    assert cells["异议状态"] == "无异议"
    assert cells["所依据的投诉编号"] == "、".join(
        sorted((r.complaint_number for r in behind), reverse=True)
    )


def test_the_json_names_figures_records_and_log_but_no_person(client):
    code = credit_code("430104")
    behind = records(code, SHOP, 2)
    page = make_list("black", entries=[entry(SHOP, code, behind)])
    EntryChange.objects.create(
        page=page,
        entry=page.entries.get(),
        description=f"{SHOP}对上榜提出异议，经核查异议不成立，维持上榜。",
    )
    response = client.get(reverse("lists:json", args=[page.slug]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert (data["period"], data["kind"], data["region_code"]) == ("2026-Q3", "black", "430100")
    assert data["rule"]["version"] == 1 and data["rule"]["in_words"]
    [listed] = data["entries"]
    assert (listed["name"], listed["credit_code"]) == (SHOP, code)
    assert (listed["mediation_successes"], listed["mediation_total"]) == (4, 11)
    assert listed["mediation_percent"] == 36.4
    assert {r["complaint_number"] for r in listed["records"]} == {
        r.complaint_number for r in behind
    }
    assert listed["records"][0]["url"].startswith(settings.PORTAL_BASE_URL + "/disclosures/")
    assert [c["description"] for c in data["changes"]] == [
        f"{SHOP}对上榜提出异议，经核查异议不成立，维持上榜。"
    ]
    raw = response.content.decode()
    assert "made_by" not in raw and "contact" not in raw and "phone" not in raw
    index = json.loads(client.get(reverse("lists:lists_json")).content)
    assert [item["json"] for item in index["lists"]] == [
        settings.PORTAL_BASE_URL + reverse("lists:json", args=[page.slug])
    ]


def test_the_feed_carries_every_published_list(client):
    page = make_list("red", entries=[entry(SHOP, credit_code("430104"), complaints=0)])
    archived = make_list("black", "2026-Q2", YESTERDAY, [entry(GARAGE, credit_code("430102"))])
    response = client.get(reverse("lists:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    text = response.content.decode()
    assert "<title>消费投诉红黑榜</title>" in text
    assert f"<link>{settings.PORTAL_BASE_URL}{page.url}</link>" in text
    assert archived.title in text
    assert "长沙市红榜，共1家经营者，上榜展示至" in text


def test_the_pages_link_their_data_and_feed(client):
    page = make_list("black", entries=[entry(SHOP, credit_code("430104"))])
    text = html(client, page.url)
    assert f'type="text/csv" title="本榜数据（CSV）" href="/lists/{page.slug}.csv"' in text
    assert f'href="/lists/{page.slug}.json"' in text
    assert 'type="application/rss+xml" title="消费投诉红黑榜" href="/lists/feed.xml"' in text
    assert 'href="/lists/feed.xml"' in html(client, "/lists/")


def test_list_pages_take_full_width_marks(client):
    code = credit_code("430104")
    page = make_list("black", entries=[entry(SHOP, code, records(code, SHOP, 2))])
    for url in (page.url, "/lists/", reverse("lists:merchant", args=[code])):
        assert half_width_marks(readable_text(html(client, url))) == [], url
    assert source_findings(Path(settings.BASE_DIR), ["lists"]) == []


def test_the_demo_publishes_the_changsha_lists_once(client):
    period = last_complete_quarter(TODAY)
    complained = period.end - datetime.timedelta(days=20)
    for name, region in ((SHOP, "430104"), (GARAGE, "430102")):
        code = credit_code(region)
        for _ in range(4):
            make_disclosure(
                credit_code=code,
                respondent_name=name,
                result="调解不成功",
                region=region,
                complained_on=complained,
                disclosed_on=complained + datetime.timedelta(days=15),
                display_until=TODAY + datetime.timedelta(days=300),
            )
    report = ensure_demo_lists({})
    assert len(report.created) == 3
    black = ListPage.objects.get(slug=f"430100-{period}-black".lower())
    assert black.live and black.listed_until >= TODAY
    text = html(client, black.url)
    assert SHOP in text and GARAGE in text and "0／4</strong>（0.0％）" in text
    assert "异议：异议不成立" in text and "经核实不成立：" in text and "维持上榜。" in text
    current, archive = sections(html(client, "/lists/"))
    assert black.url in current and f"430100-{quarter_before(period)}-black".lower() in archive
    assert ensure_demo_lists({}).created == []
    assert ListPage.objects.count() == 3
