"""Public tracking of a complaint (/complaints/track/ and GET /api/v1/complaints/<number>):
what the complainant sees at each stage, and what nobody sees there."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints import tracking, workflow
from complaints.models import Complaint, Deadline
from complaints.states import Action, Result, Satisfaction, State
from complaints.views import tracking as tracking_views

from .complaints_fixtures import FURONG, YUELU, make_complaint, make_registered_merchant, make_units

pytestmark = pytest.mark.django_db

TRACK = "/complaints/track/"
STAFF_NOTE = "内部备注：投诉人近一个月投诉同类商家六次，疑似职业索赔"


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user(
        "liu_clerk", password="口令-123456", first_name="金华", last_name="刘"
    )
    return user


@pytest.fixture
def merchant(db):
    return make_registered_merchant()


def lookup(client, number, last4):
    return client.post(TRACK, {"tracking_number": number, "phone_last4": last4})


def api(client, number, last4):
    return client.get(f"/api/v1/complaints/{number}", {"phone_last4": last4})


def fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def test_form_needs_no_script_and_posts_with_csrf(client):
    page = client.get(TRACK).content.decode()
    assert 'method="post"' in page
    assert "csrfmiddlewaretoken" in page
    assert "手机号后四位" in page
    assert "<script" not in page.split('<main id="main"')[1].split("</main>")[0]


def test_a_browser_can_post_the_form_back(client):
    """With Referrer-Policy: no-referrer, Chromium posts the form with Origin: null and
    Django's CSRF check refuses it (403): found on a real browser, the test client sends none."""
    response = client.get(TRACK)
    assert response["Referrer-Policy"] == "same-origin"
    csrf_client = type(client)(enforce_csrf_checks=True)
    page = csrf_client.get(TRACK)
    token = page.cookies["csrftoken"].value
    posted = csrf_client.post(
        TRACK,
        {
            "csrfmiddlewaretoken": token,
            "tracking_number": "FX2026112600000000",
            "phone_last4": "1234",
        },
        HTTP_ORIGIN="http://testserver",
    )
    assert posted.status_code == 200
    assert "未查到投诉" in posted.content.decode()


def test_page_shows_progress_without_personal_data(client, merchant, staff):
    complaint = make_complaint(merchant=merchant, name="高明", phone="13912345678")
    workflow.perform(complaint, Action.ACCEPT, user=staff, note=STAFF_NOTE)
    # Typed on a phone: lower case, spaces, full-width digits.
    typed = (
        "fx " + fullwidth(complaint.tracking_number[2:10]) + " " + complaint.tracking_number[10:]
    )
    response = lookup(client, typed, "５６７８")
    page = response.content.decode()

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert complaint.tracking_number in page
    assert "已受理" in page
    assert YUELU in page
    assert "长沙市岳麓区王府井百货商行" in page
    for private in (
        "高明",
        "13912345678",
        "139****5678",
        STAFF_NOTE,
        "职业索赔",
        "liu_clerk",
        "刘金华",
        "王建国",  # the merchant's registered contact person
        "13807311234",  # and its private phone
    ):
        assert private not in page, private
    # The result page keeps no last four digits in its form.
    assert 'value="5678"' not in page


def test_api_answers_the_same_view_without_personal_data(client, merchant, staff):
    complaint = make_complaint(merchant=merchant, name="高明", phone="13912345678")
    workflow.perform(complaint, Action.ACCEPT, user=staff, note=STAFF_NOTE)
    response = api(client, complaint.tracking_number.lower(), "5678")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["tracking_number"] == complaint.tracking_number
    assert body["unit"] == YUELU
    assert [stage["title"] for stage in body["stages"]] == ["提交投诉", "已受理"]
    text = json.dumps(body, ensure_ascii=False)
    for private in ("高明", "13912345678", STAFF_NOTE, "liu_clerk", "王建国", "13807311234"):
        assert private not in text, private


def test_wrong_last4_and_unknown_number_read_the_same(client, merchant):
    complaint = make_complaint(merchant=merchant, phone="13912345678")
    wrong = lookup(client, complaint.tracking_number, "8765").content.decode()
    unknown = lookup(client, "FX2026010100000000", "5678").content.decode()
    message = "未查到投诉。请核对投诉编号和手机号后四位；如仍有疑问，请拨打12315。"
    assert message in wrong and message in unknown
    assert "长沙市岳麓区王府井百货商行" not in wrong
    assert "办理进度" not in wrong

    for number, last4 in [(complaint.tracking_number, "8765"), ("FX2026010100000000", "5678")]:
        response = api(client, number, last4)
        assert response.status_code == 404
        assert response.json() == {"error": "未查到投诉，请核对投诉编号和手机号后四位。"}


def test_hostile_input_finds_nothing(client, merchant):
    complaint = make_complaint(merchant=merchant, phone="13912345678")
    assert tracking.find(complaint.tracking_number, "") is None
    assert tracking.find(complaint.tracking_number, "56７8x") is None
    assert tracking.find("' OR 1=1 --", "5678") is None
    assert tracking.find(complaint.tracking_number + "%", "5678") is None
    page = lookup(client, "<script>alert(1)</script>", "12ab").content.decode()
    assert "<script>alert(1)" not in page
    assert "请填写投诉时所留手机号的最后4位数字。" in page


def test_no_tracking_once_last4_is_gone(merchant):
    complaint = make_complaint(merchant=merchant, phone="13912345678")
    Complaint.objects.filter(pk=complaint.pk).update(phone_last4="")
    assert tracking.find(complaint.tracking_number, "5678") is None
    assert tracking.find(complaint.tracking_number, "") is None


def test_tracking_still_works_after_personal_data_removal_while_last4_is_kept(merchant):
    complaint = make_complaint(merchant=merchant, name="高明", phone="13912345678")
    Complaint.objects.filter(pk=complaint.pk).update(
        complainant_name="", complainant_phone="", personal_data_removed_at=timezone.now()
    )
    found = tracking.find(complaint.tracking_number, "5678")
    assert found is not None
    assert "高明" not in json.dumps(tracking.public_view(found), ensure_ascii=False)


def test_lookups_are_limited_per_client(client, merchant):
    complaint = make_complaint(merchant=merchant, phone="13912345678")
    for last4 in range(tracking_views.RATE_LIMIT):
        assert lookup(client, complaint.tracking_number, f"{last4:04d}").status_code == 200
    refused = lookup(client, complaint.tracking_number, "5678")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "查询过于频繁，请" in page
    assert "办理进度" not in page  # even the right pair is not answered now
    assert api(client, complaint.tracking_number, "5678").status_code == 429


def deadline_lines(view):
    return {d["title"]: d["time_left"] for d in view["deadlines"]}


def test_deadlines_with_time_left_across_states(merchant, staff):
    # Wednesday 30 September 2026, the day before the National Day holiday (1–7 October);
    # Saturday 10 October is a make-up working day.
    submitted = at(2026, 9, 30, 10, 0)
    complaint = make_complaint(merchant=merchant, now=submitted)

    view = tracking.public_view(complaint, now=submitted + datetime.timedelta(hours=1))
    # 7 working days: 8, 9, 10 (Saturday, make-up), 12, 13, 14, 15 October.
    assert deadline_lines(view) == {"告知承办单位": "还剩23小时", "受理决定": "还剩7个工作日"}
    acceptance = next(d for d in view["deadlines"] if d["kind"] == "acceptance")
    assert acceptance["due_display"] == "2026年10月16日 00:00"

    # During the holiday, no working day has passed.
    view = tracking.public_view(complaint, now=at(2026, 10, 5, 9, 0))
    assert deadline_lines(view) == {"告知承办单位": "已超期", "受理决定": "还剩7个工作日"}
    assert next(d for d in view["deadlines"] if d["kind"] == "notify")["overdue"] is True

    # On the last working day the hours count.
    view = tracking.public_view(complaint, now=at(2026, 10, 15, 16, 30))
    assert deadline_lines(view)["受理决定"] == "还剩7小时"

    complaint = workflow.perform(complaint, Action.ACCEPT, user=staff, at=at(2026, 10, 8, 9, 0))
    complaint = workflow.perform(
        complaint, Action.START_SETTLEMENT, user=staff, at=at(2026, 10, 8, 9, 30)
    )
    view = tracking.public_view(complaint, now=at(2026, 10, 8, 10, 0))
    # Settlement, 5 working days: 9, 10 (make-up Saturday), 12, 13, 14 October.
    assert deadline_lines(view)["商家先行和解"] == "还剩5个工作日"
    view = tracking.public_view(complaint, now=at(2026, 10, 11, 10, 0))  # a Sunday
    assert deadline_lines(view)["商家先行和解"] == "还剩3个工作日"
    view = tracking.public_view(complaint, now=at(2026, 10, 15, 0, 0))
    assert deadline_lines(view)["商家先行和解"] == "已超期"

    complaint = workflow.perform(
        complaint, Action.START_MEDIATION, user=staff, at=at(2026, 10, 9, 9, 0)
    )
    view = tracking.public_view(complaint, now=at(2026, 10, 9, 9, 0))
    lines = deadline_lines(view)
    assert "商家先行和解" not in lines
    # 45 working days, counted from acceptance or from the start of mediation.
    assert lines["调解"] in ("还剩44个工作日", "还剩45个工作日")

    complaint = workflow.perform(
        complaint,
        Action.CLOSE,
        user=staff,
        at=at(2026, 10, 20, 15, 0),
        result=Result.MEDIATION_SUCCESS,
        amount_recovered=Decimal("699.00"),
    )
    view = tracking.public_view(complaint, now=at(2026, 10, 20, 15, 40))
    assert deadline_lines(view) == {"办结反馈回访": "还剩23小时"}
    assert view["result"] == "调解成功"
    assert view["amount_recovered"] == "699.00"

    complaint = workflow.perform(
        complaint,
        Action.VISIT,
        user=staff,
        at=at(2026, 10, 21, 10, 0),
        satisfaction=Satisfaction.SATISFIED,
    )
    view = tracking.public_view(complaint, now=at(2026, 10, 21, 10, 0))
    assert view["deadlines"] == []
    assert view["satisfaction"] == "满意"
    assert [s["title"] for s in view["stages"]] == [
        "提交投诉",
        "已受理",
        "转商家先行和解",
        "开始调解",
        "办结",
        "回访",
    ]


def test_fast_response_minutes(merchant, staff):
    submitted = at(2026, 11, 24, 10, 0)
    complaint = make_complaint(merchant=merchant, now=submitted)
    workflow.perform(
        complaint, Action.MARK_FAST, user=staff, at=submitted, fast_reason="at_counter"
    )
    view = tracking.public_view(complaint, now=submitted + datetime.timedelta(minutes=15))
    lines = deadline_lines(view)
    assert lines["快速响应"] == "还剩30分钟"
    assert lines["到达现场"] == "还剩1小时"


def test_refusal_reason_shown(client, merchant, staff):
    complaint = make_complaint(merchant=merchant, phone="13912345678")
    reason = "您反映的问题属于房屋租赁合同纠纷，不属于市场监管部门受理范围，建议向人民法院起诉。"
    workflow.perform(complaint, Action.REFUSE, user=staff, reason=reason, note=STAFF_NOTE)
    page = lookup(client, complaint.tracking_number, "5678").content.decode()
    assert "不予受理理由" in page
    assert reason in page
    assert STAFF_NOTE not in page
    body = api(client, complaint.tracking_number, "5678").json()
    assert body["state_display"] == "不予受理"
    assert body["reason"] == reason
    assert body["deadlines"] == []


def test_return_reason_and_reassignment_shown(client, merchant, staff):
    units = make_units()
    complaint = make_complaint(merchant=merchant, phone="13912345678")
    reason = "经核实，商家实际经营地址在芙蓉区五一大道，不属于本局管辖。"
    complaint = workflow.perform(complaint, Action.RETURN, user=staff, reason=reason)

    page = lookup(client, complaint.tracking_number, "5678").content.decode()
    assert "已退回待转办" in page
    assert "退回理由" in page and reason in page

    workflow.perform(complaint, Action.REASSIGN, user=staff, unit=units.furong)
    body = api(client, complaint.tracking_number, "5678").json()
    assert body["unit"] == FURONG
    assert body["state_display"] == "待受理"
    titles = [(s["title"], s["note"]) for s in body["stages"]]
    assert ("退回（非本单位管辖）", reason) in titles
    assert ("转办", f"已转至{FURONG}办理。") in titles
    assert {d["kind"] for d in body["deadlines"]} == {"notify", "acceptance"}
    assert all(
        d.unit_id == units.furong.pk
        for d in Deadline.objects.filter(complaint=complaint, met_at=None, cancelled=False)
    )


def test_merged_complaint_names_the_one_it_joined(client, merchant, staff):
    first = make_complaint(merchant=merchant, phone="13912345678")
    second = make_complaint(merchant=merchant, phone="13700001111")
    workflow.perform(second, Action.MERGE, user=staff, target=first, note=STAFF_NOTE)
    page = lookup(client, second.tracking_number, "1111").content.decode()
    assert f"已并入投诉 {first.tracking_number} 一并办理" in page
    assert STAFF_NOTE not in page
    body = api(client, second.tracking_number, "1111").json()
    assert body["merged_into"] == first.tracking_number
    assert body["state_display"] == "已合并"


def test_repeat_by_same_phone_is_tracked_as_merged(client, merchant):
    first = make_complaint(merchant=merchant, phone="13912345678")
    again = make_complaint(merchant=merchant, phone="13912345678")
    assert again.state == State.MERGED
    body = api(client, again.tracking_number, "5678").json()
    assert body["merged_into"] == first.tracking_number


def test_api_answers_head_like_every_read(client, merchant):
    complaint = make_complaint(merchant=merchant)
    url = f"/api/v1/complaints/{complaint.tracking_number}?phone_last4={complaint.phone_last4}"
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""
