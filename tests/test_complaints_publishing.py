"""A closed complaint whose complainant consented becomes one public disclosure record, scrubbed
as an import scrubs; nothing else of it is public, and without consent nothing at all."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import publishing
from complaints.models import Complaint, HandlingPolicy
from complaints.states import Action, Result, Satisfaction
from complaints.workflow import perform
from disclosures.models import Disclosure, DisclosureDataVersion

from .complaints_fixtures import YUELU, make_complaint, make_registered_merchant

pytestmark = pytest.mark.django_db

CONTENT = (
    "我叫张伟，3月2日在王府井百货麓山店买的羽绒服穿了一次就开线，"
    "电话13812345678，张伟多次找店长均被拒绝。"
)
DEMAND = "退货退款699元，请联系张伟。"


def close(complaint, result=Result.MEDIATION_SUCCESS, amount="699.00", capture=None):
    """受理 → 调解 → 办结, the way the desk does it, running the after-commit receivers."""
    with capture(execute=True):
        perform(complaint, Action.ACCEPT)
        perform(complaint, Action.START_MEDIATION)
        return perform(complaint, Action.CLOSE, result=result, amount_recovered=Decimal(amount))


@pytest.fixture
def consented(db):
    return make_complaint(
        merchant=make_registered_merchant(), name="张伟", content=CONTENT, demand=DEMAND
    )


def public_record(complaint):
    return Disclosure.objects.public().get(complaint_number=complaint.tracking_number)


def test_consented_closed_complaint_becomes_one_scrubbed_public_record(
    consented, django_capture_on_commit_callbacks
):
    version = DisclosureDataVersion.current()
    closed = close(consented, capture=django_capture_on_commit_callbacks)

    assert Disclosure.objects.filter(complaint_number=consented.tracking_number).count() == 1
    record = public_record(consented)
    assert Complaint.objects.get(pk=consented.pk).disclosure == record
    # The import's scrubbing (我叫张伟, the mobile), and the complainant's own name wherever it
    # stands; the shop's name 王府井 is a place, not a person, and stays.
    assert record.summary == (
        "我叫张某，3月2日在王府井百货麓山店买的羽绒服穿了一次就开线，"
        "电话138****5678，张某多次找店长均被拒绝。"
    )
    assert record.consumer_request == "退货退款699元，请联系张某。"
    merchant = consented.merchant
    assert record.respondent_name == merchant.registered_name
    assert record.credit_code == merchant.credit_code
    assert record.merchant == merchant
    assert record.region_id == merchant.region_id
    assert record.handling_department == YUELU
    assert record.result.name == "调解成功"
    assert record.category.name == "其他" or record.category.name == merchant.category.name
    assert record.problem_type.name == "其他"
    assert record.recovered_amount == Decimal("699.00")
    assert record.closed_on == record.disclosed_on == timezone.localdate(closed.closed_at)
    days = HandlingPolicy.load().disclosure_display_days
    assert (record.display_until - record.disclosed_on).days == days
    # Nothing of the complainant anywhere in the record.
    values = " ".join(
        str(value) for value in Disclosure.objects.filter(pk=record.pk).values()[0].values()
    )
    for private in ("张伟", "13812345678", consented.complainant_phone):
        assert private not in values
    assert DisclosureDataVersion.current() != version


def test_the_record_is_found_by_the_public_search(
    consented, client, django_capture_on_commit_callbacks
):
    close(consented, capture=django_capture_on_commit_callbacks)
    page = client.get(reverse("disclosures:search"), {"q": "羽绒服"}).content.decode()
    assert "王府井百货麓山店买的羽绒服" in page
    assert "张伟" not in page and "13812345678" not in page
    record_page = client.get(
        reverse("disclosures:record", args=[consented.tracking_number])
    ).content.decode()
    assert "调解成功" in record_page and "张伟" not in record_page


def test_no_consent_no_record(db, django_capture_on_commit_callbacks):
    complaint = make_complaint(name="张伟", content=CONTENT, consent_publish=False)
    close(complaint, capture=django_capture_on_commit_callbacks)
    assert not Disclosure.objects.filter(complaint_number=complaint.tracking_number).exists()
    assert publishing.publish(complaint) is None
    assert Complaint.objects.get(pk=complaint.pk).disclosure is None


def test_an_open_complaint_is_not_published(consented):
    assert publishing.publish(consented) is None
    assert not Disclosure.objects.exists()


def test_reopened_and_closed_again_updates_the_same_record(
    consented, django_capture_on_commit_callbacks
):
    close(
        consented,
        result=Result.MEDIATION_FAILED,
        amount="0",
        capture=django_capture_on_commit_callbacks,
    )
    first = public_record(consented)
    assert first.result.name == "调解不成功"
    with django_capture_on_commit_callbacks(execute=True):
        # 不满意 reopens the mediation at once; closing again follows the new result.
        perform(consented, Action.VISIT, satisfaction=Satisfaction.DISSATISFIED)
        perform(
            consented,
            Action.CLOSE,
            result=Result.MEDIATION_SUCCESS,
            amount_recovered=Decimal("350"),
        )
    assert Disclosure.objects.filter(complaint_number=consented.tracking_number).count() == 1
    again = public_record(consented)
    assert again.pk == first.pk
    assert again.result.name == "调解成功"
    assert again.recovered_amount == Decimal("350.00")


def test_publishing_twice_writes_nothing_the_second_time(
    consented, django_capture_on_commit_callbacks
):
    close(consented, capture=django_capture_on_commit_callbacks)
    record = public_record(consented)
    version = DisclosureDataVersion.current()
    assert publishing.publish(consented).pk == record.pk
    assert Disclosure.objects.get(pk=record.pk).updated_at == record.updated_at
    assert DisclosureDataVersion.current() == version


def test_first_settlement_counts_as_mediation_success(db, django_capture_on_commit_callbacks):
    complaint = make_complaint(merchant=make_registered_merchant(), name="李娜")
    with django_capture_on_commit_callbacks(execute=True):
        perform(complaint, Action.ACCEPT)
        perform(complaint, Action.START_SETTLEMENT)
        perform(complaint, Action.SETTLE, result=Result.SETTLED, amount_recovered=Decimal("699"))
    assert public_record(complaint).result.name == "调解成功"


def test_unregistered_merchant_as_the_consumer_named_it(db, django_capture_on_commit_callbacks):
    complaint = make_complaint(
        merchant_name="金华茶楼",
        merchant_address="岳麓区金星中路88号",
        name="高伟",
        content="在金华茶楼喝茶被多收了服务费。",
        demand="退还多收的服务费",
    )
    close(complaint, amount="0", capture=django_capture_on_commit_callbacks)
    record = public_record(complaint)
    assert record.respondent_name == "金华茶楼"
    assert record.respondent_address == "岳麓区金星中路88号"
    assert record.credit_code == "" and record.merchant is None
    assert record.category.name == "其他"
    assert record.summary == "在金华茶楼喝茶被多收了服务费。"


def test_a_closing_whose_disclosure_failed_is_disclosed_by_the_next_deadline_run(
    consented, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.management import call_command

    def refuse(complaint, policy=None):
        raise publishing.PublishError("行政区划代码暂不可用")

    with monkeypatch.context() as patched:
        patched.setattr(publishing, "publish", refuse)
        close(consented, capture=django_capture_on_commit_callbacks)
    assert not Disclosure.objects.filter(complaint_number=consented.tracking_number).exists()

    call_command("complaint_deadlines", "--no-email", stdout=io.StringIO())
    assert public_record(consented).consumer_request == "退货退款699元，请联系张某。"
    # Once made, a later run makes no second record.
    call_command("complaint_deadlines", "--no-email", stdout=io.StringIO())
    assert Disclosure.objects.filter(complaint_number=consented.tracking_number).count() == 1
