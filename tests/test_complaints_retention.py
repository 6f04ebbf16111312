"""Removing a complainant's name, phone and photos once the retention period after the
complaint ended has passed, keeping the anonymous record, its log and its figures."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from complaints import photos, tracking, workflow
from complaints.models import Complaint, ComplaintEvent, ComplaintPhoto, Deadline
from complaints.retention import remove_due
from complaints.states import Action, Result, State

from .complaints_fixtures import make_complaint

pytestmark = pytest.mark.django_db

PHONE = "13873105678"


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def jpeg(name="发票.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    return photos.prepare(SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg"))


def closed_complaint(**kwargs):
    closed_on = at(2026, 10, 10, 17, 30)
    complaint = make_complaint(
        now=closed_on - datetime.timedelta(days=12),
        name="王府井",
        phone=PHONE,
        photos=[jpeg(), jpeg("小票.png")],
        **kwargs,
    )
    workflow.perform(complaint, Action.ACCEPT, at=closed_on - datetime.timedelta(days=11))
    workflow.perform(complaint, Action.START_MEDIATION, at=closed_on - datetime.timedelta(days=5))
    return workflow.perform(
        complaint,
        Action.CLOSE,
        result=Result.MEDIATION_SUCCESS,
        amount_recovered=Decimal("699.00"),
        at=closed_on,
    )


def test_removed_after_the_period_not_before(private_media):
    complaint = closed_complaint()
    files = [private_media / p.file for p in complaint.photos.all()]
    assert len(files) == 2 and all(f.exists() for f in files)
    events = complaint.events.count()

    # 1,095 days after closing: still kept.
    assert remove_due(at(2029, 10, 9, 17, 0)).complaints == 0
    complaint.refresh_from_db()
    assert complaint.complainant_name == "王府井"

    summary = remove_due(at(2029, 10, 10, 18, 0))
    assert (summary.complaints, summary.photos) == (1, 2)
    complaint.refresh_from_db()
    assert complaint.complainant_name == "" and complaint.complainant_phone == ""
    assert complaint.personal_data_removed_at == at(2029, 10, 10, 18, 0)
    assert not any(f.exists() for f in files)
    assert not ComplaintPhoto.objects.filter(complaint=complaint).exists()

    # The anonymous record, its log and its figures stay.
    assert complaint.state == State.CLOSED
    assert complaint.result == Result.MEDIATION_SUCCESS
    assert complaint.amount_recovered == Decimal("699.00")
    assert complaint.closed_at == at(2026, 10, 10, 17, 30)
    assert "羽绒服" in complaint.content
    assert Deadline.objects.filter(complaint=complaint, met_at__isnull=False).exists()
    assert complaint.events.count() == events + 1
    removal = complaint.events.get(action=Action.REMOVE_PERSONAL_DATA)
    assert removal.actor == ComplaintEvent.Actor.SYSTEM and removal.user is None


def test_tracking_still_finds_it_by_number_and_last_four_digits():
    complaint = closed_complaint()
    remove_due(at(2030, 1, 1))
    complaint.refresh_from_db()
    assert complaint.phone_last4 == PHONE[-4:]
    found = tracking.find(complaint.tracking_number, PHONE[-4:])
    assert found is not None and found.pk == complaint.pk
    assert tracking.find(complaint.tracking_number, "0000") is None
    assert PHONE not in str(tracking.public_view(found, now=at(2030, 1, 1)))


def test_removal_is_idempotent_and_leaves_open_complaints_alone():
    closed = closed_complaint()
    still_open = make_complaint(now=at(2026, 1, 5, 9, 0), name="金华", phone="13700001111")
    first = remove_due(at(2030, 1, 1))
    again = remove_due(at(2030, 1, 2))
    assert (first.complaints, again.complaints) == (1, 0)
    assert closed.events.filter(action=Action.REMOVE_PERSONAL_DATA).count() == 1
    still_open.refresh_from_db()
    assert still_open.complainant_name == "金华" and still_open.personal_data_removed_at is None


def test_refused_and_merged_complaints_count_from_when_they_ended():
    refused = make_complaint(now=at(2026, 3, 2, 9, 0), name="高明", phone="13600002222")
    workflow.perform(
        refused, Action.REFUSE, reason="不属于消费者权益争议。", at=at(2026, 3, 4, 9, 0)
    )
    # A repeat by the same phone against the same shop is merged at once by intake.
    target = make_complaint(now=at(2026, 3, 10, 9, 0), name="高明", phone="13600003333")
    repeat = make_complaint(now=at(2026, 3, 11, 9, 0), name="高明", phone="13600003333")
    assert repeat.state == State.MERGED and repeat.merged_into == target

    assert remove_due(at(2029, 3, 3, 9, 0)).complaints == 0
    assert remove_due(at(2029, 3, 4, 10, 0)).complaints == 1  # the refusal's 1,095 days
    summary = remove_due(at(2029, 3, 12, 9, 0))
    assert summary.complaints == 1  # the merged repeat; its open target keeps its data
    for complaint, removed in ((refused, True), (repeat, True), (target, False)):
        complaint.refresh_from_db()
        assert (complaint.complainant_phone == "") is removed


def test_the_command_with_dry_run_and_for_real(private_media):
    complaint = closed_complaint()
    out = io.StringIO()
    call_command(
        "remove_complaint_personal_data", "--now", "2030-01-01T03:00", "--dry-run", stdout=out
    )
    assert (
        "试运行：保存期限 1095 天，将删除 1 件投诉的投诉人个人信息（照片 2 张）" in out.getvalue()
    )
    assert Complaint.objects.get(pk=complaint.pk).complainant_phone == PHONE

    out = io.StringIO()
    call_command("remove_complaint_personal_data", "--now", "2030-01-01T03:00", stdout=out)
    assert "已删除 1 件投诉的投诉人姓名、手机号，照片 2 张。" in out.getvalue()
    assert not list(Path(private_media).rglob("*.jpg"))
    out = io.StringIO()
    call_command("remove_complaint_personal_data", "--now", "2030-01-02T03:00", stdout=out)
    assert "已删除 0 件投诉" in out.getvalue()
