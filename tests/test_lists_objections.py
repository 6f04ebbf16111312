"""Staff decisions on a listed merchant's objection: upheld (the entry dropped, or records
removed and its figures counted again), rejected with a reason; the list's public log; the
queue and evidence in the admin, and who may decide."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lists import notices, objections
from lists.models import EntryChange, EntryObjection, EntryObjectionState, ListEntry

from .lists_notice_fixtures import (
    GAOMING,
    WANGFUJING,
    black_merchant,
    catch_texts,
    draft_black,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(monkeypatch):
    return catch_texts(monkeypatch)


@pytest.fixture
def listed(texts):
    """王府井 first (13 complaints), 高明 second (11), both told; 王府井 objects."""
    wangfujing, records = black_merchant(WANGFUJING, 3, 10)
    gaoming, _ = black_merchant(GAOMING, 2, 9, phone="13974120001")
    page = draft_black()
    notices.send_notices(page)
    entry = page.entries.get(credit_code=wangfujing)
    objection = notices.file_objection(
        entry.notice,
        "其中两件投诉的被投诉人是隔壁同名门店，并非本公司。",
        disclosure=records[-1],
    )
    return {
        "page": page,
        "entry": entry,
        "records": records,
        "objection": objection,
        "gaoming": gaoming,
    }


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("shenhe", password="审核口令-123")
    user.groups.add(Group.objects.get(name="审核"))
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("bianji", password="编辑口令-123")
    user.groups.add(Group.objects.get(name="编辑"))
    return user


def ranks(page):
    return [(e.rank, e.name) for e in ListEntry.objects.filter(page=page).order_by("rank")]


def test_upheld_the_entry_leaves_the_list_and_the_rest_move_up(listed, reviewer):
    page = listed["page"]
    assert ranks(page) == [(1, WANGFUJING), (2, GAOMING)]
    objections.uphold_drop(listed["objection"], reviewer, "经核实，投诉对象登记有误。")
    assert ranks(page) == [(1, GAOMING)]
    objection = EntryObjection.objects.get()
    assert objection.state == EntryObjection.State.UPHELD and objection.entry is None
    assert objection.decided_by == reviewer and objection.decided_at
    [change] = EntryChange.objects.filter(page=page)
    assert change.description == (
        "长沙市岳麓区王府井百货有限公司提出的异议经核实成立，已从本榜移除：经核实，投诉对象登记有误。"
    )
    # The newest revision, the one review will publish, has the corrected entries.
    page = type(page).objects.get(pk=page.pk)
    revision_entries = page.get_latest_revision_as_object().entries.all()
    assert [e.name for e in revision_entries] == [GAOMING]


def test_upheld_records_leave_the_entry_and_its_figures_are_counted_again(listed, reviewer):
    page, records = listed["page"], listed["records"]
    objections.uphold_remove_records(listed["objection"], reviewer, records[-2:], "")
    entry = ListEntry.objects.get(pk=listed["entry"].pk)
    assert entry.complaints == 11 and (entry.mediation_successes, entry.mediation_total) == (3, 11)
    assert records[-1].pk not in entry.record_ids and records[-2].pk not in entry.record_ids
    assert entry.objection_state == EntryObjectionState.UPHELD
    # 11 against 高明's 11: the lower success rate ranks first (2/11 < 3/11).
    assert ranks(page) == [(1, GAOMING), (2, WANGFUJING)]
    [change] = EntryChange.objects.filter(page=page)
    assert f"投诉记录{records[-2].complaint_number}、{records[-1].complaint_number}不再计入" in (
        change.description
    )
    assert "窗口内公示投诉由13件更正为11件。" in change.description


def test_an_entry_below_the_rule_after_removing_records_leaves_the_list(listed, reviewer):
    records = listed["records"]
    objections.uphold_remove_records(listed["objection"], reviewer, records[:4])
    assert ranks(listed["page"]) == [(1, GAOMING)]  # 9 complaints: under the rule's 10
    [change] = EntryChange.objects.all()
    assert "该经营者不再符合上榜条件，已从本榜移除。" in change.description


def test_rejected_needs_a_reason_and_the_log_shows_it(listed, reviewer):
    with pytest.raises(objections.DecisionError, match="异议不成立时必须写明理由。"):
        objections.reject(listed["objection"], reviewer, "  ")
    objections.reject(listed["objection"], reviewer, "投诉记录经承办单位核实无误。")
    entry = ListEntry.objects.get(pk=listed["entry"].pk)
    assert entry.objection_state == EntryObjectionState.REJECTED
    assert entry.complaints == 13
    [change] = EntryChange.objects.all()
    assert change.description == (
        "长沙市岳麓区王府井百货有限公司提出的异议经核实不成立：投诉记录经承办单位核实无误。"
    )
    with pytest.raises(objections.DecisionError, match="该异议已处理"):
        objections.uphold_drop(listed["objection"], reviewer)


def login(client, user, password):
    assert client.login(username=user.username, password=password)


def test_the_reviewer_decides_in_the_admin_queue(listed, reviewer, client):
    login(client, reviewer, "审核口令-123")
    queue = client.get(reverse("lists_admin:queue")).content.decode()
    url = reverse("lists_admin:objection", args=[listed["objection"].pk])
    assert WANGFUJING in queue and url in queue
    detail = client.get(url).content.decode()
    assert "其中两件投诉的被投诉人是隔壁同名门店" in detail and "异议不成立" in detail
    response = client.post(url, {"action": "reject", "reason": ""})
    assert EntryObjection.objects.get().state == EntryObjection.State.PENDING
    response = client.post(url, {"action": "reject", "reason": "记录无误。"}, follow=True)
    assert "已处理。" in response.content.decode()
    assert EntryObjection.objects.get().state == EntryObjection.State.REJECTED


def test_an_editor_reads_the_queue_but_cannot_decide(listed, editor, client):
    login(client, editor, "编辑口令-123")
    url = reverse("lists_admin:objection", args=[listed["objection"].pk])
    detail = client.get(url)
    assert (
        detail.status_code == 200 and "异议成立：从本榜移除该经营者" not in detail.content.decode()
    )
    # Wagtail answers a refused admin request by sending the user back to the dashboard.
    assert client.post(url, {"action": "drop"}).status_code in (302, 403)
    assert EntryObjection.objects.get().state == EntryObjection.State.PENDING


def test_evidence_is_served_only_to_staff(texts, client, reviewer, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    black_merchant(WANGFUJING, 3, 10)
    page = draft_black()
    notices.send_notices(page)
    entry = page.entries.get()
    pdf = SimpleUploadedFile("退款凭证.pdf", b"%PDF-1.4\n1 0 obj\n", content_type="application/pdf")
    objection = notices.file_objection(entry.notice, "已退款。", uploads=[pdf])
    item = objection.evidence.get()
    url = reverse("lists_admin:evidence", args=[objection.pk, item.pk])
    assert client.get(url).status_code in (302, 403)
    login(client, reviewer, "审核口令-123")
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
