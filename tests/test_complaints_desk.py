"""The handling desk as a clerk of a county bureau, of the city bureau, and as someone who may
handle complaints but not see who made them."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import workflow
from complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    Deadline,
    PersonalDataView,
    RefusalTemplate,
)
from complaints.states import Action, Kind, Result, State
from home.roles import REVIEWER

from .complaints_fixtures import (
    make_complaint,
    make_registered_merchant,
    make_staff,
    make_units,
)
from .merchant_factories import make_district, make_merchant

pytestmark = pytest.mark.django_db

QUEUE = reverse("complaints_desk:index")
NAME = "金华"  # a surname, and a city: it must not appear anywhere it is not asked for
PHONE = "13974120388"


def detail_url(complaint):
    return reverse("complaints_desk:detail", args=[complaint.pk])


def act_url(complaint, action):
    return reverse("complaints_desk:act", args=[complaint.pk, action])


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow(client, url, data):
    return client.post(url, data, follow=True)


@pytest.fixture
def units():
    return make_units()


@pytest.fixture
def yuelu_complaint(units):
    merchant = make_registered_merchant()
    return make_complaint(
        merchant=merchant,
        name=NAME,
        phone=PHONE,
        content="在王府井百货买的电饭煲用了三天就坏了，商家说“高明的用户不会用坏”，拒绝退换。",
    )


@pytest.fixture
def furong_complaint(units):
    return make_complaint(region="430102", merchant_name="芙蓉区高明眼镜店", name="王芳")


@pytest.fixture
def yuelu_clerk(client, units):
    user = make_staff(units.yuelu, "yuelu_zhang")
    client.force_login(user)
    return user


# --- who sees what --------------------------------------------------------------------------


def test_a_county_clerk_sees_its_queue_and_not_the_neighbours(
    client, units, yuelu_clerk, yuelu_complaint, furong_complaint
):
    page = html(client.get(QUEUE, {"tab": "all"}))
    assert yuelu_complaint.tracking_number in page
    assert "长沙市岳麓区王府井百货商行" in page
    assert furong_complaint.tracking_number not in page
    assert client.get(detail_url(furong_complaint)).status_code == 404
    assert client.post(act_url(furong_complaint, Action.ACCEPT)).status_code == 404


def test_the_city_sees_both_counties_and_their_stations(client, units):
    station_merchant = make_merchant(
        registered_name="长沙市岳麓区麓谷高明烟酒店",
        shop_name="高明烟酒",
        district=make_district("麓谷商圈", region="430104"),
    )
    at_station = make_complaint(merchant=station_merchant)
    assert at_station.unit == units.station
    at_yuelu = make_complaint()
    at_furong = make_complaint(region="430102")
    client.force_login(make_staff(units.city, "city_chen"))
    page = html(client.get(QUEUE, {"tab": "all"}))
    for complaint in (at_station, at_yuelu, at_furong):
        assert complaint.tracking_number in page
    assert "全部（3）" in page

    client.force_login(make_staff(units.station, "station_liu"))
    page = html(client.get(QUEUE, {"tab": "all"}))
    assert at_station.tracking_number in page
    assert at_yuelu.tracking_number not in page


def test_a_superuser_sees_everything(client, units, yuelu_complaint, furong_complaint):
    client.force_login(make_staff(None, "admin", handler=False, superuser=True))
    page = html(client.get(QUEUE, {"tab": "all"}))
    assert yuelu_complaint.tracking_number in page
    assert furong_complaint.tracking_number in page


def test_staff_of_no_unit_are_told_why_the_queue_is_empty(client, units, yuelu_complaint):
    client.force_login(make_staff(None, "newcomer"))
    page = html(client.get(QUEUE))
    assert "您还不是任何承办单位的工作人员" in page
    assert yuelu_complaint.tracking_number not in page


def test_the_desk_is_closed_to_those_who_do_not_handle_complaints(client, units, yuelu_complaint):
    user = make_staff(units.yuelu, "reviewer_wu", handler=False)
    user.groups.add(Group.objects.get(name=REVIEWER))
    client.force_login(user)
    assert client.get(QUEUE).status_code in (302, 403)
    assert client.get(detail_url(yuelu_complaint)).status_code in (302, 403)
    assert QUEUE not in html(client.get(reverse("wagtailadmin_home")))


# --- the queue ------------------------------------------------------------------------------


def test_tabs_count_new_due_overdue_to_visit_and_flagged(client, units, yuelu_clerk):
    now = timezone.now()
    fresh = make_complaint()  # 告知 due within 24 h
    old = make_complaint(now=now - datetime.timedelta(days=3))  # 告知 overdue
    closed = make_complaint()
    for action, details in [
        (Action.ACCEPT, {}),
        (Action.START_MEDIATION, {}),
        (Action.CLOSE, {"result": Result.MEDIATION_SUCCESS}),
    ]:
        closed = workflow.perform(closed, action, user=yuelu_clerk, **details)
    flagged = make_complaint(honeypot=True)
    make_complaint(region="430102", honeypot=True)  # 芙蓉区: counted nowhere here

    page = html(client.get(QUEUE))
    for label in [
        "新投诉（3）",
        "一天内到期（3）",
        "已超期（1）",
        "待回访（1）",
        "待核查（1）",
        "全部（4）",
    ]:
        assert label in page

    listed = {tab: html(client.get(QUEUE, {"tab": tab})) for tab in ("overdue", "review")}
    assert old.tracking_number in listed["overdue"]
    assert fresh.tracking_number not in listed["overdue"]
    assert flagged.tracking_number in listed["review"]
    assert "填写了隐藏字段（疑似自动提交）" in listed["review"]
    assert "已超期" in listed["overdue"]
    assert closed.tracking_number in html(client.get(QUEUE, {"tab": "to_visit"}))


def test_filters_narrow_the_list_and_its_counts(client, units, yuelu_clerk):
    accepted = workflow.perform(make_complaint(), Action.ACCEPT, user=yuelu_clerk)
    received = make_complaint()
    page = html(client.get(QUEUE, {"tab": "all", "state": State.ACCEPTED}))
    assert accepted.tracking_number in page
    assert received.tracking_number not in page
    assert "全部（1）" in page

    workflow.perform(received, Action.MARK_FAST, user=yuelu_clerk, fast_reason="at_counter")
    page = html(client.get(QUEUE, {"tab": "all", "fast": "1"}))
    assert received.tracking_number in page
    assert accepted.tracking_number not in page

    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert "全部（0）" in html(client.get(QUEUE, {"tab": "all", "submitted_from": tomorrow}))
    # A unit outside the clerk's reach is no way in: its complaints stay out of sight.
    elsewhere = make_complaint(region="430102")
    page = html(client.get(QUEUE, {"tab": "all", "unit": units.furong.pk}))
    assert elsewhere.tracking_number not in page
    assert "全部（2）" in page
    # Hostile parameters fall back to the defaults instead of failing.
    assert "新投诉" in html(client.get(QUEUE, {"tab": "<script>", "p": "-1", "state": "x'"}))


def test_the_queue_shows_no_personal_data(client, units, yuelu_clerk, yuelu_complaint):
    page = html(client.get(QUEUE, {"tab": "all"}))
    assert yuelu_complaint.tracking_number in page
    assert NAME not in page
    assert PHONE not in page
    assert PHONE[-4:] not in page


def test_the_queue_costs_the_same_queries_for_many_complaints(client, units, yuelu_clerk):
    make_complaint()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            html(client.get(QUEUE, {"tab": "all"}))
        return len(captured)

    few = queries()
    for _ in range(12):
        make_complaint(honeypot=True)
    assert queries() == few


def test_the_queue_is_paginated(client, units, yuelu_clerk, monkeypatch):
    from complaints.desk import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    made = [make_complaint() for _ in range(5)]
    first = html(client.get(QUEUE, {"tab": "all"}))
    assert "第1页，共3页（5件）" in first
    last = html(client.get(QUEUE, {"tab": "all", "p": 3}))
    assert made[0].tracking_number in last
    assert made[0].tracking_number not in first


# --- one complaint and its actions ---------------------------------------------------------


def test_the_complaint_page_shows_the_case_and_its_log(client, yuelu_clerk, yuelu_complaint):
    workflow.perform(yuelu_complaint, Action.ACCEPT, user=yuelu_clerk, note="已电话联系商家店长")
    page = html(client.get(detail_url(yuelu_complaint)))
    assert "电饭煲用了三天就坏了" in page
    assert "退货并退还货款699元。" in page
    assert "699.00元" in page
    assert "已受理" in page
    assert "yuelu_zhang" in page  # who
    assert "已电话联系商家店长" in page  # the staff note
    assert "受理决定" in page  # a deadline
    assert "开始调解" in page and "转商家先行和解" in page  # the next steps' forms
    assert 'name="csrfmiddlewaretoken"' in page


def test_an_action_form_moves_the_complaint_on(client, yuelu_clerk, yuelu_complaint):
    response = follow(client, act_url(yuelu_complaint, Action.ACCEPT), {"accept-note": "证据齐全"})
    assert "已受理。" in messages_of(response)
    yuelu_complaint.refresh_from_db()
    assert yuelu_complaint.state == State.ACCEPTED
    event = yuelu_complaint.events.get(action=Action.ACCEPT)
    assert event.user == yuelu_clerk
    assert event.note == "证据齐全"


def test_an_illegal_action_is_refused_in_chinese(client, yuelu_clerk, yuelu_complaint):
    response = follow(
        client, act_url(yuelu_complaint, Action.VISIT), {"visit-satisfaction": "satisfied"}
    )
    assert "投诉当前状态为“待受理”，不能执行“回访”。" in messages_of(response)
    yuelu_complaint.refresh_from_db()
    assert yuelu_complaint.state == State.RECEIVED
    assert not yuelu_complaint.events.filter(action=Action.VISIT).exists()
    # Only POST changes anything; an unknown action is not an address.
    assert client.get(act_url(yuelu_complaint, Action.ACCEPT)).status_code == 405
    assert client.post(act_url(yuelu_complaint, "delete")).status_code == 404


def test_refusing_takes_a_template_or_a_typed_reason(client, yuelu_clerk, yuelu_complaint):
    template = RefusalTemplate.objects.create(
        use=RefusalTemplate.Use.REFUSE,
        title="已由法院受理",
        text="该纠纷已由人民法院受理，依据规定不予受理。",
    )
    response = follow(client, act_url(yuelu_complaint, Action.REFUSE), {"refuse-reason": "  "})
    assert "未能办理：请选择理由模板或填写理由，投诉人将看到这段说明。" in messages_of(response)
    assert Complaint.objects.get(pk=yuelu_complaint.pk).state == State.RECEIVED

    page = html(client.get(detail_url(yuelu_complaint)))
    assert "已由法院受理" in page

    follow(client, act_url(yuelu_complaint, Action.REFUSE), {"refuse-template": template.pk})
    yuelu_complaint.refresh_from_db()
    assert yuelu_complaint.state == State.REFUSED
    assert yuelu_complaint.public_reason == template.text


def test_a_returned_complaint_is_reassigned_by_the_unit_above(
    client, units, yuelu_clerk, yuelu_complaint
):
    follow(
        client,
        act_url(yuelu_complaint, Action.RETURN),
        {"return-reason": "商家实际经营地址在芙蓉区五一大道，非本单位管辖。"},
    )
    yuelu_complaint.refresh_from_db()
    assert yuelu_complaint.state == State.RETURNED
    # The unit that returned it cannot pass it on itself.
    assert "转办至" not in html(client.get(detail_url(yuelu_complaint)))
    response = follow(
        client, act_url(yuelu_complaint, Action.REASSIGN), {"reassign-unit": units.furong.pk}
    )
    assert "退回的投诉由上级单位转办。" in messages_of(response)

    client.force_login(make_staff(units.city, "city_chen"))
    page = html(client.get(detail_url(yuelu_complaint)))
    assert "转办至" in page
    form = page.split("转办至")[1].split("</select>")[0]
    assert "长沙市芙蓉区市场监督管理局" in form
    assert "长沙市市场监督管理局" in form
    assert "岳麓区麓谷市场监管所" not in form  # not under the city directly
    response = follow(
        client, act_url(yuelu_complaint, Action.REASSIGN), {"reassign-unit": units.station.pk}
    )
    assert any("未能办理" in m for m in messages_of(response))
    follow(client, act_url(yuelu_complaint, Action.REASSIGN), {"reassign-unit": units.furong.pk})
    yuelu_complaint.refresh_from_db()
    assert yuelu_complaint.state == State.RECEIVED
    assert yuelu_complaint.unit == units.furong


def test_closing_visiting_and_merging_from_the_desk(client, yuelu_clerk, yuelu_complaint):
    other = make_complaint()
    follow(
        client,
        act_url(other, Action.MERGE),
        {"merge-target": yuelu_complaint.tracking_number.lower()},
    )
    other.refresh_from_db()
    assert other.state == State.MERGED and other.merged_into == yuelu_complaint

    follow(client, act_url(yuelu_complaint, Action.ACCEPT), {})
    follow(client, act_url(yuelu_complaint, Action.START_MEDIATION), {})
    follow(
        client,
        act_url(yuelu_complaint, Action.CLOSE),
        {"close-result": Result.MEDIATION_SUCCESS, "close-amount_recovered": "699"},
    )
    yuelu_complaint.refresh_from_db()
    assert yuelu_complaint.state == State.CLOSED
    assert yuelu_complaint.amount_recovered == 699
    follow(client, act_url(yuelu_complaint, Action.VISIT), {"visit-satisfaction": "satisfied"})
    yuelu_complaint.refresh_from_db()
    assert yuelu_complaint.state == State.VISITED
    assert "该投诉已无可办理的操作。" in html(client.get(detail_url(yuelu_complaint)))


def test_marking_a_fast_response_case(client, yuelu_clerk, yuelu_complaint):
    follow(client, act_url(yuelu_complaint, Action.MARK_FAST), {"mark_fast-fast_reason": "risk"})
    yuelu_complaint.refresh_from_db()
    assert yuelu_complaint.fast_response
    assert yuelu_complaint.deadlines.filter(kind=Deadline.Kind.FAST_RESPONSE).exists()
    page = html(client.get(detail_url(yuelu_complaint)))
    assert "可能危及人身、财产安全" in page
    assert "到达现场" in page


def test_splitting_a_report_out_of_a_complaint(client, units, yuelu_clerk):
    content = "买的月饼已经过期。另外该店无照经营，还在销售三无产品，请依法查处。"
    complaint = make_complaint(content=content)
    part = "该店无照经营，还在销售三无产品，请依法查处。"

    response = follow(client, act_url(complaint, Action.SPLIT), {"split-text": "与本案无关的文字"})
    assert "拆分的内容须取自投诉原文。" in messages_of(response)

    response = follow(client, act_url(complaint, Action.SPLIT), {"split-text": part})
    report = Complaint.objects.get(split_from=complaint)
    assert f"已拆分出举报事项{report.tracking_number}。" in messages_of(response)
    assert report.kind == Kind.REPORT
    assert report.content == part
    assert report.unit == complaint.unit
    assert report.state == State.RECEIVED
    assert report.complainant_phone == complaint.complainant_phone
    complaint.refresh_from_db()
    assert complaint.content == content  # the complainant's words are not edited
    assert report.tracking_number in complaint.events.get(action=Action.SPLIT).note
    assert complaint.tracking_number in report.events.get(action=Action.SPLIT).note
    assert report.events.get(action=Action.SPLIT).user == yuelu_clerk
    assert report.deadlines.filter(kind=Deadline.Kind.ACCEPTANCE).exists()
    assert complaint.tracking_number in html(client.get(detail_url(report)))


# --- personal data --------------------------------------------------------------------------


def test_the_name_and_phone_are_shown_on_request_and_the_look_is_logged(
    client, yuelu_clerk, yuelu_complaint
):
    page = html(client.get(detail_url(yuelu_complaint)))
    assert PHONE not in page
    assert f">{NAME}<" not in page
    assert "查看个人信息" in page
    assert not PersonalDataView.objects.exists()

    url = reverse("complaints_desk:personal_data", args=[yuelu_complaint.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    page = html(response)
    assert PHONE in page and NAME in page
    assert "no-store" in response["Cache-Control"]
    view = PersonalDataView.objects.get()
    assert (view.user, view.complaint, view.what) == (yuelu_clerk, yuelu_complaint, "contact")
    assert abs((timezone.now() - view.at).total_seconds()) < 60


@pytest.fixture
def handler_without_personal_data(client, units):
    group = Group.objects.create(name="投诉登记员")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="handle_complaint"),
    )
    user = make_staff(units.yuelu, "dengji", handler=False)
    user.groups.add(group)
    client.force_login(user)
    return user


@pytest.fixture
def photo(settings, tmp_path, yuelu_complaint):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    (tmp_path / "complaints").mkdir()
    (tmp_path / "complaints" / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0 fake jpeg \xff\xd9")
    return ComplaintPhoto.objects.create(
        complaint=yuelu_complaint,
        file="complaints/a.jpg",
        content_type="image/jpeg",
        width=800,
        height=600,
        size=20,
    )


def photo_url(photo):
    return reverse("complaints_desk:photo", args=[photo.complaint_id, photo.pk])


def test_without_the_permission_no_name_phone_or_photo(
    client, handler_without_personal_data, yuelu_complaint, photo
):
    page = html(client.get(detail_url(yuelu_complaint)))
    assert "您没有查看投诉人个人信息的权限。" in page
    assert PHONE not in page
    assert photo_url(photo) not in page
    url = reverse("complaints_desk:personal_data", args=[yuelu_complaint.pk])
    # Wagtail answers a refusal under /admin/ with a redirect and a message.
    assert client.post(url).status_code in (302, 403)
    response = client.get(photo_url(photo))
    assert response.status_code in (302, 403)
    assert not hasattr(response, "streaming_content")
    assert not PersonalDataView.objects.exists()


def test_photos_are_served_privately_and_each_view_logged(client, yuelu_clerk, photo, units):
    page = html(client.get(detail_url(photo.complaint)))
    assert photo_url(photo) in page
    assert "照片1（800×600）" in page
    assert "data:image" not in page

    response = client.get(photo_url(photo))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    client.get(photo_url(photo))
    assert PersonalDataView.objects.filter(what=f"photo:{photo.pk}", user=yuelu_clerk).count() == 2

    client.force_login(make_staff(units.furong, "furong_zhao"))
    assert client.get(photo_url(photo)).status_code == 404


def test_a_photo_path_cannot_leave_private_storage(client, yuelu_clerk, photo):
    ComplaintPhoto.objects.filter(pk=photo.pk).update(file="../../etc/passwd")
    assert client.get(photo_url(photo)).status_code == 404


def test_after_removal_the_desk_says_deleted(client, yuelu_clerk, yuelu_complaint, photo):
    Complaint.objects.filter(pk=yuelu_complaint.pk).update(
        personal_data_removed_at=timezone.now(), complainant_name="", complainant_phone=""
    )
    page = html(client.get(detail_url(yuelu_complaint)))
    assert "个人信息已删除" in page
    assert "已删除" in page.split("照片")[1]
    assert client.get(photo_url(photo)).status_code == 404


# --- admin around the desk ------------------------------------------------------------------


def test_the_menu_and_the_reference_data(client, units):
    reviewer = make_staff(None, "shenhe", handler=False)
    reviewer.groups.add(Group.objects.get(name=REVIEWER))
    client.force_login(reviewer)
    assert client.get(reverse("wagtailsnippets_complaints_unit:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_complaints_refusaltemplate:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_complaints_workdayoverride:list")).status_code == 200
    settings_url = reverse("wagtailsettings:edit", args=["complaints", "handlingpolicy"])
    assert "受理决定时限（工作日）" in html(client.get(settings_url, follow=True))

    client.force_login(make_staff(units.yuelu, "yuelu_he"))
    # The sidebar is drawn from JSON in the page: the desk's address is there.
    assert QUEUE in html(client.get(reverse("wagtailadmin_home")))
    assert "新投诉" in html(client.get(QUEUE))


def test_figures_show_the_units_the_clerk_sees(client, units, yuelu_clerk, yuelu_complaint):
    closed = yuelu_complaint
    for action, details in [
        (Action.ACCEPT, {}),
        (Action.START_MEDIATION, {}),
        (Action.CLOSE, {"result": Result.MEDIATION_SUCCESS, "amount_recovered": 699}),
    ]:
        closed = workflow.perform(closed, action, user=yuelu_clerk, **details)
    page = html(client.get(reverse("complaints_desk:figures")))
    assert "投诉办理统计" in page
    assert "长沙市岳麓区市场监督管理局" in page
    assert "岳麓区麓谷市场监管所" in page
    assert "长沙市芙蓉区市场监督管理局" not in page
    assert "100%（1/1）" in page  # 调解成功率 with its denominator
    assert "699.00" in page


def test_every_desk_event_names_its_clerk(client, yuelu_clerk, yuelu_complaint):
    follow(client, act_url(yuelu_complaint, Action.ACKNOWLEDGE), {})
    event = ComplaintEvent.objects.get(complaint=yuelu_complaint, action=Action.ACKNOWLEDGE)
    assert event.user == yuelu_clerk and event.unit == yuelu_complaint.unit
