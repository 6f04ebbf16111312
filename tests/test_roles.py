"""编辑 and 审核 do their jobs without the superuser, and 编辑 cannot do 审核's part.

Each test logs in as a member of a group as ``migrate`` leaves it (no demo data, no hand-made
permissions) and uses the admin as that person would.
"""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from disclosures.models import Disclosure
from editorial.models import AlertIndexPage, AlertPage
from home.roles import EDITOR, REVIEWER
from merchants.models import Merchant, PledgeType

from . import admin_upload
from .disclosure_factories import make_disclosure
from .merchant_factories import credit_code, make_merchant
from .pages import home_page, publish

pytestmark = pytest.mark.django_db

REASON = "经核查存在拒不履行无理由退货承诺的情形"


def log_in(client, django_user_model, group, username):
    user = django_user_model.objects.create_user(username, password="口令-123456")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client, django_user_model):
    return log_in(client, django_user_model, EDITOR, "bianji")


@pytest.fixture
def reviewer(client, django_user_model):
    return log_in(client, django_user_model, REVIEWER, "shenhe")


def reachable(client, url):
    """200: the page opened. Wagtail answers a refusal with a redirect, our own pages with 403."""
    return client.get(url).status_code == 200


def merchant_form(merchant=None, **overrides):
    """The admin form as the browser posts it: the merchant's current values, then changes."""
    pledge = merchant.pledges.get() if merchant else None
    data = {
        "credit_code": merchant.credit_code if merchant else credit_code("430111"),
        "registered_name": merchant.registered_name if merchant else "长沙市雨花区红星家居有限公司",
        "shop_name": merchant.shop_name if merchant else "红星家居广场",
        "category": "",
        "region": merchant.region_id if merchant else "430111",
        "address": merchant.address if merchant else "湖南省长沙市雨花区劳动东路118号",
        "district": "",
        "online_shop": "",
        "online_platform": "",
        "contact_person": "李红",
        "contact_phone": "0731-85551234",
        "registry_status": merchant.registry_status if merchant else "listed",
        "status_changed_on": "",
        "status_reason": merchant.status_reason if merchant else "",
        "pledges": inline_formset(
            [
                {
                    "id": pledge.pk if pledge else "",
                    "pledge_type": PledgeType.objects.get(name="线下无理由退货承诺").pk,
                    "content": "",
                    "return_days": "15",
                    "return_scope": "家具、灯饰（定制类除外）",
                    "return_conditions": "未安装使用，凭发票",
                    "starts_on": "2026-01-01",
                    "ends_on": "2027-12-31",
                }
            ],
            min=1,
            initial=1 if pledge else 0,
        ),
    }
    data.update(overrides)
    return nested_form_data(data)


def edit_url(merchant):
    return reverse("wagtailsnippets_merchants_merchant:edit", args=[merchant.pk])


def status_of(merchant):
    return Merchant.objects.get(pk=merchant.pk).registry_status


# --- the registry ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_both_roles_register_merchants_import_and_print(role, client, request):
    request.getfixturevalue(role)
    merchant = make_merchant()
    for url in (
        reverse("wagtailsnippets_merchants_merchant:list"),
        reverse("wagtailsnippets_merchants_merchant:add"),
        edit_url(merchant),
        reverse("merchants_import"),
        reverse("merchants_qr_export"),
        reverse("disclosures_import"),
        reverse("merchants_retire_code", args=[merchant.pk]),
    ):
        assert reachable(client, url), url

    response = client.post(reverse("wagtailsnippets_merchants_merchant:add"), merchant_form())
    assert response.status_code == 302
    registered = Merchant.objects.get(registered_name="长沙市雨花区红星家居有限公司")
    assert registered.registry_status == "listed"

    # The edit page links the poster, and the poster prints.
    poster = reverse("merchants:poster", args=[registered.current_code.code])
    assert poster in client.get(edit_url(registered)).content.decode()
    assert client.get(poster).status_code == 200


def test_the_editor_is_offered_no_suspend_or_remove(client, editor):
    merchant = make_merchant()
    html = client.get(edit_url(merchant)).content.decode()
    assert 'value="listed"' in html
    assert 'value="suspended"' not in html and 'value="removed"' not in html
    assert "暂停、摘牌或恢复商家须由审核人员操作" in html


@pytest.mark.parametrize("status", ["suspended", "removed"])
def test_the_editor_cannot_suspend_or_remove_a_merchant(status, client, editor):
    merchant = make_merchant()
    form = merchant_form(merchant, registry_status=status, status_reason=REASON)
    response = client.post(edit_url(merchant), form)
    assert response.status_code == 200  # the form again, with its error
    assert status_of(merchant) == "listed"
    scan = client.get(reverse("merchants:scan", args=[merchant.current_code.code]))
    assert "承诺有效" in scan.content.decode()


def test_the_editor_cannot_reinstate_but_may_correct_a_suspended_merchant(client, editor):
    merchant = make_merchant(registry_status=Merchant.RegistryStatus.SUSPENDED)
    form = merchant_form(
        merchant,
        registry_status="listed",
        status_reason="",
        address="湖南省长沙市岳麓区麓谷大道628号",
    )
    assert client.post(edit_url(merchant), form).status_code == 302
    merchant.refresh_from_db()
    assert merchant.registry_status == "suspended"
    assert merchant.status_reason == REASON
    assert merchant.address == "湖南省长沙市岳麓区麓谷大道628号"


@pytest.mark.parametrize("status, shown", [("suspended", "已暂停"), ("removed", "已摘牌")])
def test_the_reviewer_suspends_and_removes_and_the_scan_page_says_so(
    status, shown, client, reviewer
):
    merchant = make_merchant()
    form = merchant_form(merchant, registry_status=status, status_reason=REASON)
    assert client.post(edit_url(merchant), form).status_code == 302
    assert status_of(merchant) == status
    scan = client.get(reverse("merchants:scan", args=[merchant.current_code.code]))
    html = scan.content.decode()
    assert shown in html and REASON in html

    form = merchant_form(Merchant.objects.get(pk=merchant.pk), registry_status="listed")
    assert client.post(edit_url(merchant), form).status_code == 302
    assert status_of(merchant) == "listed"


IMPORT_HEADERS = [
    "统一社会信用代码",
    "经营者名称",
    "行政区划代码",
    "经营地址",
    "承诺类型",
    "承诺内容",
    "承诺开始日期",
    "承诺结束日期",
    "状态",
    "暂停或摘牌原因",
]


def merchant_list(merchant, status):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(IMPORT_HEADERS)
    writer.writerow(
        [
            merchant.credit_code,
            merchant.registered_name,
            merchant.region_id,
            merchant.address,
            "放心消费承诺",
            "质量安全放心、交易公平放心、经营管理放心、服务承诺放心、消费维权放心",
            "2026-01-05",
            "",
            status,
            REASON if status in ("暂停", "摘牌") else "",
        ]
    )
    return buffer.getvalue().encode()


def test_an_editor_import_that_suspends_a_merchant_is_refused(client, editor):
    merchant = make_merchant()
    page = admin_upload.upload(
        client, "merchants_import", merchant_list(merchant, "暂停"), "名单.csv"
    )
    html = page.content.decode()
    assert "整个文件未导入" in html
    assert "暂停、摘牌或恢复商家须由审核人员操作" in html
    assert status_of(merchant) == "listed"

    # The same list without the suspension goes in.
    page = admin_upload.upload(
        client, "merchants_import", merchant_list(merchant, "已公示"), "名单.csv"
    )
    assert "导入完成" in page.content.decode()


def test_a_reviewer_import_suspends_a_merchant(client, reviewer):
    merchant = make_merchant()
    page = admin_upload.upload(
        client, "merchants_import", merchant_list(merchant, "暂停"), "名单.csv"
    )
    assert "导入完成" in page.content.decode()
    assert status_of(merchant) == "suspended"


REFERENCE_DATA = [
    "wagtailsnippets_merchants_businesscategory:add",
    "wagtailsnippets_merchants_pledgetype:add",
    "wagtailsnippets_disclosures_problemtype:add",
    "wagtailsnippets_editorial_casetype:add",
]


def test_reference_data_and_site_settings_are_the_reviewers(client, django_user_model):
    urls = [reverse(name) for name in REFERENCE_DATA]
    site = Site.objects.get(is_default_site=True)
    urls.append(reverse("wagtailsettings:edit", args=["home", "portalsettings", site.pk]))
    log_in(client, django_user_model, EDITOR, "bianji")
    assert not any(reachable(client, url) for url in urls)
    log_in(client, django_user_model, REVIEWER, "shenhe")
    assert all(reachable(client, url) for url in urls)


def test_without_a_role_nothing_is_reachable(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="口令-123456")
    client.force_login(user)
    merchant = make_merchant()
    for url in (
        reverse("wagtailsnippets_merchants_merchant:add"),
        edit_url(merchant),
        reverse("merchants_import"),
        reverse("merchants_qr_export"),
        reverse("disclosures_import"),
    ):
        assert not reachable(client, url), url


# --- pages ----------------------------------------------------------------------------------


def alert_form(title, slug, **action):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-11-01",
            "intro": "双11期间网购请保留订单截图和聊天记录。",
            "alert_kind": "tip",
            "body": streamfield(
                [("paragraph", rich_text("<p>七日无理由退货不等于所有商品都能退。</p>"))]
            ),
            **action,
        }
    )


@pytest.fixture
def alerts():
    return publish(home_page(), AlertIndexPage(title="消费提示", slug="alerts"))


def add_alert_url(alerts):
    return reverse("wagtailadmin_pages:add", args=["editorial", "alertpage", alerts.pk])


def test_the_editor_drafts_and_submits_but_cannot_publish(client, editor, alerts):
    assert reachable(client, add_alert_url(alerts))
    client.post(
        add_alert_url(alerts),
        alert_form("双11网购消费提示", "shuang11-tip", **{"action-publish": "1"}),
    )
    page = AlertPage.objects.get(title="双11网购消费提示")
    assert not page.live
    assert reachable(client, reverse("wagtailadmin_pages:edit", args=[page.pk]))

    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        alert_form("双11网购消费提示", page.slug, **{"action-submit": "1"}),
    )
    page.refresh_from_db()
    assert page.current_workflow_task.name == "审核发布"
    assert not page.live

    # Approving is not the editor's.
    state = page.current_workflow_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    client.post(approve, {"comment": "自己批准"})
    page.refresh_from_db()
    assert not page.live


def test_the_reviewer_approves_and_publishes(client, django_user_model, alerts):
    log_in(client, django_user_model, EDITOR, "bianji")
    client.post(
        add_alert_url(alerts), alert_form("春节消费提示", "chunjie-tip", **{"action-submit": "1"})
    )
    page = AlertPage.objects.get(title="春节消费提示")
    assert not page.live

    log_in(client, django_user_model, REVIEWER, "shenhe")
    state = page.current_workflow_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    client.post(approve, {"comment": "内容属实，同意发布"})
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200

    client.post(
        add_alert_url(alerts),
        alert_form("国庆消费警示", "guoqing-warning", **{"action-publish": "1"}),
    )
    assert AlertPage.objects.get(title="国庆消费警示").live


def test_page_rights_cover_every_page():
    root = Page.objects.get(depth=1)
    editors = Group.objects.get(name=EDITOR)
    reviewers = Group.objects.get(name=REVIEWER)

    def codenames(group):
        return set(
            group.page_permissions.filter(page=root).values_list("permission__codename", flat=True)
        )

    assert codenames(editors) == {"add_page", "change_page"}
    assert {"add_page", "change_page", "publish_page"} <= codenames(reviewers)


# --- disclosures ----------------------------------------------------------------------------


def disclosure_url(disclosure):
    return reverse("wagtailsnippets_disclosures_disclosure:edit", args=[disclosure.pk])


def test_the_editor_records_an_objection_but_cannot_withdraw(client, editor):
    disclosure = make_disclosure()
    html = client.get(disclosure_url(disclosure)).content.decode()
    assert 'value="objected"' in html and 'value="withdrawn"' not in html

    client.post(disclosure_url(disclosure), {"objection_state": "objected"})
    assert Disclosure.objects.get(pk=disclosure.pk).objection_state == "objected"

    response = client.post(disclosure_url(disclosure), {"objection_state": "withdrawn"})
    assert response.status_code == 200
    assert Disclosure.objects.get(pk=disclosure.pk).objection_state == "objected"
    assert Disclosure.objects.public().filter(pk=disclosure.pk).exists()


def test_the_editor_cannot_bring_back_a_withdrawn_record(client, editor):
    disclosure = make_disclosure(objection_state="withdrawn")
    client.post(disclosure_url(disclosure), {"objection_state": "none"})
    assert Disclosure.objects.get(pk=disclosure.pk).objection_state == "withdrawn"


def test_the_reviewer_withdraws_a_record_from_public_view(client, reviewer):
    disclosure = make_disclosure()
    response = client.post(disclosure_url(disclosure), {"objection_state": "withdrawn"})
    assert response.status_code == 302
    assert Disclosure.objects.get(pk=disclosure.pk).objection_state == "withdrawn"
    assert not Disclosure.objects.public().filter(pk=disclosure.pk).exists()
