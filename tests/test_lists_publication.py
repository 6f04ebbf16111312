"""Publishing a red/black list through the review workflow, and the guard that keeps a black
list back while a merchant may still object or an objection waits for a decision."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lists import notices, objections, publication
from lists.drafting import draft
from lists.models import ListPage, ListRule

from .lists_notice_fixtures import (
    GAOMING,
    LUGU,
    Q3,
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
def editor(django_user_model):
    user = django_user_model.objects.create_user("bianji", password="编辑口令-123")
    user.groups.add(Group.objects.get(name="编辑"))
    return user


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("shenhe", password="审核口令-123")
    user.groups.add(Group.objects.get(name="审核"))
    return user


AFTER_WINDOW = datetime.timedelta(days=30)


def later(now):
    return mock.patch("django.utils.timezone.now", return_value=now)


def submit(page, editor):
    """编辑提交: the draft goes to the workflow's 审核发布 task."""
    page = ListPage.objects.get(pk=page.pk)
    page.get_workflow().start(page, editor)
    return ListPage.objects.get(pk=page.pk)


def approve(client, page, reviewer, comment="数据已核对，同意发布。"):
    client.force_login(reviewer)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": comment})
    client.logout()
    return response


def test_blockers_follow_notices_windows_and_decisions(texts, reviewer):
    black_merchant(WANGFUJING, 3, 9)
    page = draft_black()
    assert publication.blockers(page) == [
        "尚有1家已登记联系方式的经营者未收到上榜告知，请先发送告知。"
    ]
    notices.send_notices(page)
    notice = page.entries.get().notice
    [reason] = publication.blockers(page)
    assert reason == f"异议期尚未结束（至{notices.day_of(notice)}），异议期内不能发布。"
    objection = notices.file_objection(notice, "投诉记录有误。")
    assert len(publication.blockers(page)) == 2
    after = notice.objection_until + datetime.timedelta(minutes=1)
    assert publication.blockers(page, now=after) == ["尚有1件异议未处理，处理完毕后才能发布。"]
    objections.reject(objection, reviewer, "经核实记录无误。")
    assert publication.blockers(page, now=after) == []


def test_a_black_list_without_any_notifiable_merchant_may_go_at_once():
    black_merchant(LUGU, 1, 10, registered=False)
    black_merchant(GAOMING, 2, 9, phone="")
    page = draft_black()
    assert page.entries.count() == 2
    assert publication.blockers(page) == []


def test_a_red_list_is_not_guarded():
    red = ListRule.objects.get(kind=ListRule.Kind.RED, is_current=True)
    for page, _created in draft(Q3, [red]):
        assert publication.blockers(page) == []


def test_the_reviewer_cannot_publish_from_the_editor_while_the_window_is_open(
    texts, reviewer, client
):
    black_merchant(WANGFUJING, 3, 9)
    page = draft_black()
    notices.send_notices(page)
    client.force_login(reviewer)
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    opened = client.get(edit).content.decode()
    assert "该黑榜暂不能发布：异议期尚未结束" in opened
    assert reverse("lists_admin:notices", args=[page.pk]) in opened  # 上榜告知与异议期
    response = client.post(edit, {"action-publish": "1"}, follow=True)
    assert "该黑榜暂不能发布：异议期尚未结束" in response.content.decode()
    assert not ListPage.objects.get(pk=page.pk).live


def test_the_editor_submits_and_the_reviewer_approves_once_the_window_is_over(
    texts, editor, reviewer, client
):
    black_merchant(WANGFUJING, 3, 9)
    page = draft_black()
    notices.send_notices(page)
    page = submit(page, editor)
    assert page.current_workflow_task.name == "审核发布"

    approve(client, page, reviewer)
    page = ListPage.objects.get(pk=page.pk)
    assert not page.live and page.workflow_in_progress

    with later(timezone.now() + AFTER_WINDOW):
        approve(client, page, reviewer)
    page = ListPage.objects.get(pk=page.pk)
    assert page.live and not page.workflow_in_progress
    assert client.get(page.url).status_code == 200


def test_an_approved_list_goes_live_at_its_scheduled_time(editor, reviewer, client):
    black_merchant(LUGU, 1, 10, registered=False)  # no notice possible: no guard
    page = draft_black()
    go_live = timezone.now() + datetime.timedelta(hours=2)
    page.go_live_at = go_live
    page.save_revision(user=editor)
    page = submit(page, editor)
    approve(client, page, reviewer)
    page = ListPage.objects.get(pk=page.pk)
    assert not page.live and page.get_latest_revision().approved_go_live_at

    call_command("publish_scheduled", verbosity=0)
    assert not ListPage.objects.get(pk=page.pk).live
    with later(go_live + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled", verbosity=0)
    assert ListPage.objects.get(pk=page.pk).live


def test_the_published_list_carries_the_decisions_made_after_submission(
    texts, editor, reviewer, client
):
    black_merchant(WANGFUJING, 3, 9)
    black_merchant(GAOMING, 2, 9, phone="13974120001")
    page = draft_black()
    notices.send_notices(page)
    entry = page.entries.get(name=WANGFUJING)
    objection = notices.file_objection(entry.notice, "并非本公司门店。")
    page = submit(page, editor)
    objections.uphold_drop(objection, reviewer, "经核实，投诉对象登记有误。")
    with later(timezone.now() + AFTER_WINDOW):
        approve(client, ListPage.objects.get(pk=page.pk), reviewer)
    page = ListPage.objects.get(pk=page.pk)
    assert page.live
    assert [(e.rank, e.name) for e in page.entries.all()] == [(1, GAOMING)]
