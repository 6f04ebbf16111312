"""Publishing as the bureau does it: 编辑 submit, 审核 approve and publish, scheduled go-live."""

import datetime
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Workflow
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from editorial.models import AlertIndexPage, AlertPage
from search.site_search import search_site

from .pages import home_page, preview_post_data, publish


class PublishingWorkflowTests(WagtailPageTestCase):
    def setUp(self):
        self.alerts = publish(home_page(), AlertIndexPage(title="消费提示", slug="alerts"))
        self.editor = self.create_user("bianji", password="编辑口令-123")
        self.editor.groups.add(Group.objects.get(name="编辑"))
        self.reviewer = self.create_user("shenhe", password="审核口令-123")
        self.reviewer.groups.add(Group.objects.get(name="审核"))

    def alert_form(self, title, **extra):
        data = nested_form_data(
            {
                "title": title,
                "slug": "shuang11-tip",
                "date": "2026-11-01",
                "intro": "双11期间网购请保留订单截图和聊天记录。",
                "alert_kind": "tip",
                "body": streamfield(
                    [("paragraph", rich_text("<p>七日无理由退货不等于所有商品都能退。</p>"))]
                ),
            }
        )
        data.update(extra)
        return data

    def submit_as_editor(self, title="双11网购消费提示"):
        self.client.login(username="bianji", password="编辑口令-123")
        add_url = reverse("wagtailadmin_pages:add", args=["editorial", "alertpage", self.alerts.pk])
        response = self.client.post(add_url, self.alert_form(title, **{"action-submit": "1"}))
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.client.logout()
        return AlertPage.objects.get(title=title)

    def approve_as_reviewer(self, page):
        self.client.login(username="shenhe", password="审核口令-123")
        task_state = page.current_workflow_task_state
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
        )
        response = self.client.post(url, {"comment": "内容属实,同意发布"})
        self.assertIn(response.status_code, (200, 302))
        self.client.logout()
        page.refresh_from_db()
        return page

    def test_default_workflow_is_the_two_step_bureau_workflow(self):
        workflow = home_page().get_workflow()
        self.assertEqual(workflow.name, "编辑提交 → 审核发布")
        self.assertEqual([t.name for t in workflow.tasks], ["审核发布"])
        self.assertTrue(Workflow.objects.filter(name="编辑提交 → 审核发布", active=True).exists())

    def test_editor_can_create_and_submit_but_not_publish(self):
        self.client.login(username="bianji", password="编辑口令-123")
        add_url = reverse("wagtailadmin_pages:add", args=["editorial", "alertpage", self.alerts.pk])
        self.client.post(add_url, self.alert_form("编辑试图直接发布", **{"action-publish": "1"}))
        page = AlertPage.objects.get(title="编辑试图直接发布")
        self.assertFalse(page.live)

    def test_submitted_page_waits_for_review_then_goes_live(self):
        page = self.submit_as_editor()
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_task.name, "审核发布")
        self.assertEqual(self.client.get(page.url or "/home/alerts/shuang11-tip/").status_code, 404)
        self.assertEqual(search_site("退货").total, 0)

        page = self.approve_as_reviewer(page)
        self.assertTrue(page.live)
        self.assertEqual(self.client.get(page.url).status_code, 200)
        self.assertEqual(search_site("退货").total, 1)

        actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
        self.assertTrue(
            {"wagtail.create", "wagtail.workflow.start", "wagtail.workflow.approve"} <= actions
        )
        self.assertIn("wagtail.publish", actions)

    def test_reviewer_publishes_on_schedule_with_go_live_at(self):
        go_live = timezone.now() + datetime.timedelta(hours=2)
        page = self.submit_as_editor()
        revision = page.latest_revision
        page.go_live_at = go_live
        page.save_revision(user=self.reviewer).publish(user=self.reviewer)
        page.refresh_from_db()
        self.assertFalse(page.live)
        self.assertTrue(page.get_latest_revision().approved_go_live_at)
        self.assertNotEqual(revision.pk, page.latest_revision.pk)

        call_command("publish_scheduled", verbosity=0)
        page.refresh_from_db()
        self.assertFalse(page.live, "must not go live before its time")

        later = go_live + datetime.timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("publish_scheduled", verbosity=0)
        page.refresh_from_db()
        self.assertTrue(page.live)

    def test_reviewer_group_may_publish_editor_group_may_not(self):
        page = publish(self.alerts, AlertPage(title="已发布提示", intro="摘要", date="2026-10-01"))
        self.assertTrue(page.permissions_for_user(self.reviewer).can_publish())
        self.assertFalse(page.permissions_for_user(self.editor).can_publish())
        self.assertTrue(page.permissions_for_user(self.editor).can_edit())

    def test_revisions_and_preview_are_available(self):
        page = publish(
            self.alerts, AlertPage(title="春节消费提示", intro="摘要", date="2026-01-20")
        )
        page.intro = "修改后的摘要"
        page.save_revision()
        self.assertEqual(page.revisions.count(), 2)
        self.client.force_login(self.reviewer)
        data = preview_post_data(self, page)
        self.assertPageIsPreviewable(page, post_data=data, user=self.reviewer)

    def test_admin_speaks_chinese(self):
        self.client.login(username="shenhe", password="审核口令-123")
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('lang="zh-hans"', html)
        self.assertIn("控制面板", html)
        self.assertIn("跳到主要内容", html)
