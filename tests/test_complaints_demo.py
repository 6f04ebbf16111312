"""The demo's complaint handling: Changsha's units and staff, the policy, the reason templates and
about thirty complaints in every state, made through the real intake and workflow, once."""

import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from complaints.models import (
    Complaint,
    ComplaintEvent,
    Deadline,
    HandlingPolicy,
    RefusalTemplate,
    Unit,
)
from complaints.roles import HANDLER, may_handle
from complaints.states import Satisfaction, State
from demo.complaints import ensure_demo_complaints
from demo.content import complaints as words
from demo.content.trades import trade_of_shop
from demo.merchants import ensure_demo_merchants

LONG_NUMBER_RE = re.compile(r"[0-9]{7,}")


class DemoComplaintsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_demo_merchants()
        cls.now = timezone.now()
        cls.first = ensure_demo_complaints(now=cls.now)
        cls.counts = cls.table_counts()
        cls.second = ensure_demo_complaints()

    @staticmethod
    def table_counts():
        return [
            model.objects.count()
            for model in (
                Unit,
                RefusalTemplate,
                Complaint,
                ComplaintEvent,
                Deadline,
                get_user_model(),
            )
        ]

    def demo_complaints(self):
        return Complaint.objects.filter(submission_key__startswith="demo-complaint-")

    def test_every_state_is_shown(self):
        states = set(self.demo_complaints().values_list("state", flat=True))
        self.assertEqual(states, set(State.values))
        self.assertGreaterEqual(self.demo_complaints().count(), 30)

    def test_a_second_run_makes_nothing_and_prints_no_password(self):
        self.assertEqual(self.table_counts(), self.counts)
        self.assertEqual(self.second.complaints_created, 0)
        self.assertTrue(all(password is None for _, _, password in self.second.accounts))
        self.assertTrue(any("本次新建 0 件" in line for line in self.second.lines()))
        first_passwords = [password for _, _, password in self.first.accounts]
        self.assertTrue(all(first_passwords))
        self.assertFalse(any(p in "\n".join(self.second.lines()) for p in first_passwords))

    def test_units_follow_the_city_county_station_chain_with_their_mailboxes(self):
        city = Unit.objects.get(name="长沙市市场监督管理局")
        yuelu = Unit.objects.get(name="长沙市岳麓区市场监督管理局")
        station = Unit.objects.get(name="五一商圈消费维权服务站")
        self.assertEqual(yuelu.email, "yuelu@example.gov.cn")
        self.assertEqual((yuelu.parent, yuelu.region_id), (city, "430104"))
        self.assertEqual(station.parent.name, "长沙市芙蓉区市场监督管理局")
        self.assertEqual(station.district.name, "长沙五一商圈")
        self.assertFalse(Unit.objects.filter(email="").exists())
        # Each unit has its own demo clerk, in the 投诉处理 role.
        for unit in Unit.objects.all():
            self.assertEqual(unit.members.count(), 1, unit.name)
            clerk = unit.members.get()
            self.assertTrue(clerk.groups.filter(name=HANDLER).exists(), unit.name)
            self.assertTrue(may_handle(clerk), unit.name)
        self.assertIsNone(self.first.missing_group)

    def test_a_clerk_sees_the_queue_of_the_unit_and_the_city_sees_all(self):
        users = get_user_model().objects
        yuelu = Complaint.objects.visible_to(users.get(username="yuelu"))
        self.assertTrue(yuelu.exists())
        self.assertEqual(
            set(yuelu.values_list("unit__name", flat=True)), {"长沙市岳麓区市场监督管理局"}
        )
        furong = set(
            Complaint.objects.visible_to(users.get(username="furong")).values_list(
                "unit__name", flat=True
            )
        )
        self.assertIn("五一商圈消费维权服务站", furong)  # the station under the county bureau
        city = Complaint.objects.visible_to(users.get(username="changsha"))
        self.assertEqual(city.count(), self.demo_complaints().count())

    def test_the_policy_makes_the_fast_response_pledge_fast(self):
        policy = HandlingPolicy.load()
        names = set(policy.fast_response_pledge_types.values_list("name", flat=True))
        self.assertEqual(names, {"快速响应双承诺"})
        pledged = self.demo_complaints().filter(fast_response_reason="pledge")
        self.assertTrue(pledged.exists())
        marked = self.demo_complaints().filter(fast_response_reason="out_of_town")
        self.assertTrue(marked.filter(events__action="arrive").exists())

    def test_reason_templates_quote_the_measures(self):
        titles = set(RefusalTemplate.objects.filter(use="refuse").values_list("title", flat=True))
        self.assertTrue(
            {"不属于市场监管部门职责", "已由人民法院受理", "无明确的被投诉人"} <= titles
        )
        hint = RefusalTemplate.objects.get(title__startswith="非为生活消费需要")
        self.assertIn("人工核查", hint.title)
        returned = RefusalTemplate.objects.get(use="return", title="被投诉人不在本单位管辖区域")
        self.assertIn("退回", returned.text)
        for template in RefusalTemplate.objects.all():
            self.assertNotRegex(template.text, r"[,;:()!?]", template.title)

    def test_a_refusal_shows_its_reason_and_a_repeat_is_merged(self):
        refused = self.demo_complaints().get(submission_key="demo-complaint-refused-court")
        self.assertEqual(refused.state, State.REFUSED)
        self.assertIn("人民法院", refused.public_reason)
        repeat = self.demo_complaints().get(submission_key="demo-complaint-repeat-liuyang")
        self.assertEqual(repeat.state, State.MERGED)
        self.assertIn("repeat", repeat.review_flags)
        self.assertEqual(repeat.merged_into.submission_key, "demo-complaint-mediating-liuyang")
        self.assertEqual(repeat.complainant_phone, repeat.merged_into.complainant_phone)

    def test_closed_complaints_are_visited_and_one_reopened(self):
        visited = self.demo_complaints().filter(state=State.VISITED)
        self.assertGreaterEqual(visited.count(), 4)
        self.assertFalse(visited.filter(closed_at=None).exists())
        reopened = self.demo_complaints().get(reopened=True)
        self.assertEqual(reopened.state, State.MEDIATING)
        self.assertEqual(reopened.satisfaction, Satisfaction.DISSATISFIED)
        self.assertTrue(
            self.demo_complaints().filter(state=State.CLOSED, amount_recovered__gt=0).exists()
        )

    def test_every_step_went_through_the_workflow_in_the_past(self):
        for complaint in self.demo_complaints().prefetch_related("events"):
            events = list(complaint.events.all())
            self.assertEqual(events[0].action, "submit", complaint.tracking_number)
            times = [event.at for event in events]
            self.assertEqual(times, sorted(times), complaint.tracking_number)
            self.assertLessEqual(times[-1], self.now)
            staff_steps = [e for e in events if e.actor == ComplaintEvent.Actor.STAFF]
            self.assertTrue(all(e.user_id for e in staff_steps), complaint.tracking_number)
        spread = self.demo_complaints().order_by("submitted_at")
        self.assertGreater((spread.last().submitted_at - spread.first().submitted_at).days, 21)

    def test_complainants_are_obviously_invented_and_texts_name_no_one(self):
        for complaint in self.demo_complaints():
            self.assertTrue(complaint.complainant_phone.startswith("1380000"))
            self.assertIn(complaint.complainant_name, words.NAMES)
            for text in (complaint.content, complaint.demand):
                self.assertIsNone(LONG_NUMBER_RE.search(text), text)
                self.assertNotIn("1380000", text)

    def test_a_registered_merchant_is_complained_about_for_its_own_trade(self):
        registered = self.demo_complaints().filter(merchant__isnull=False)
        self.assertGreater(registered.count(), 20)
        for complaint in registered:
            trade = trade_of_shop(complaint.merchant.shop_name)
            if trade is not None:
                self.assertTrue(
                    any(item.text in complaint.content for item in trade.complaints),
                    (complaint.merchant.shop_name, complaint.content),
                )
