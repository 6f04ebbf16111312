"""A consumer's photos: only real JPEG/PNG images, at most 5 × 5 MB, re-encoded without EXIF or
GPS, turned upright, stored outside the public media folder."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints import photos
from complaints.models import Complaint, ComplaintPhoto, Unit
from merchants.models import Region

from .merchant_factories import make_merchant

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(120, 80), orientation=None):
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"  # Make
    exif[0x0110] = "Mate 60"  # Model
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (28.0, 10.0, 57.6)  # 岳麓山
    gps[3] = "E"
    gps[4] = (112.0, 56.0, 24.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_test_photo_really_carries_gps():
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)[1] == "N"


def test_exif_and_gps_are_removed_and_the_photo_re_encoded():
    prepared = photos.prepare(upload("现场照片.jpg", jpeg_with_gps()))
    assert prepared.content_type == "image/jpeg"
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
        assert image.size == (120, 80)


def test_exif_orientation_is_applied_before_it_is_dropped():
    # Orientation 6: the camera was turned; the upright photo is 80 wide and 120 high.
    prepared = photos.prepare(upload("竖拍.jpg", jpeg_with_gps(orientation=6)))
    assert (prepared.width, prepared.height) == (80, 120)
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.size == (80, 120)
        assert ORIENTATION not in image.getexif()


def test_png_is_kept_as_an_optimised_png_without_its_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "王府井 13807315678")
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (0, 0, 0, 0)).save(out, "PNG", pnginfo=info)
    prepared = photos.prepare(upload("截图.png", out.getvalue(), "image/png"))
    assert prepared.content_type == "image/png"
    assert b"13807315678" not in prepared.data
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("发票.jpg", "这不是照片，是一段文字。".encode()),
        ("发票.jpg", b""),
        ("合同.png", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("动图.jpg", None),  # a GIF under a JPEG name
        ("半张.jpg", "truncated"),
    ],
)
def test_a_non_image_is_refused_whatever_its_name(name, data):
    if data is None:
        out = io.BytesIO()
        Image.new("P", (10, 10)).save(out, "GIF")
        data = out.getvalue()
    elif data == "truncated":
        data = jpeg_with_gps()[:200]
    with pytest.raises(photos.PhotoError) as caught:
        photos.prepare(upload(name, data))
    assert str(caught.value) == f"“{name}”不是JPEG或PNG格式的照片。"


def test_an_oversized_file_is_refused():
    big = jpeg_with_gps() + b"\0" * photos.MAX_BYTES
    with pytest.raises(photos.PhotoError) as caught:
        photos.prepare(upload("大图.jpg", big))
    assert str(caught.value) == "照片“大图.jpg”超过5MB，请压缩或换一张。"


def test_a_decompression_bomb_is_refused_from_its_header(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 100 * 100)
    with pytest.raises(photos.PhotoError, match="像素过大"):
        photos.prepare(upload("巨图.png", _png((200, 200))))


def _png(size):
    out = io.BytesIO()
    Image.new("L", size).save(out, "PNG")
    return out.getvalue()


def test_more_than_five_photos_are_refused():
    files = [upload(f"{n}.png", _png((8, 8)), "image/png") for n in range(6)]
    with pytest.raises(photos.PhotoError) as caught:
        photos.prepare_all(files)
    assert str(caught.value) == "最多上传5张照片。"
    assert len(photos.prepare_all(files[:5])) == 5


# --- through the form, stored privately -----------------------------------------------------


@pytest.fixture
def shop(settings, tmp_path, db):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMPLAINT_PHONE_VERIFICATION = False
    Unit.objects.create(
        name="长沙市岳麓区市场监督管理局",
        level=Unit.Level.COUNTY,
        region=Region.objects.get(code="430104"),
    )
    return make_merchant(registered_name="长沙市岳麓区金华数码有限公司", shop_name="金华数码")


def _post(client, shop, files, key="photo-submission-key-0001"):
    from django.utils import timezone

    data = {
        "content": "买的充电宝用了两天就鼓包了，商家不给换。",
        "occurred_on": timezone.localdate().isoformat(),
        "demand": "退货退款",
        "name": "高明",
        "phone": "13907311234",
        "submission_key": key,
        "photos": files,
    }
    return client.post(reverse("complaint_new_for_merchant", args=[shop.current_code.code]), data)


def test_photos_are_stored_privately_without_exif(client, shop, settings):
    response = _post(
        client,
        shop,
        [upload("鼓包.jpg", jpeg_with_gps()), upload("小票.png", _png((30, 20)), "image/png")],
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    stored = list(ComplaintPhoto.objects.filter(complaint=complaint))
    assert [p.content_type for p in stored] == ["image/jpeg", "image/png"]
    for photo in stored:
        path = Path(settings.PRIVATE_MEDIA_ROOT) / photo.file
        assert path.is_file() and path.stat().st_size == photo.size
        assert complaint.tracking_number in photo.file
        assert "鼓包" not in photo.file  # the consumer's file name is not kept
        with Image.open(path) as image:
            assert not image.getexif()
            assert "exif" not in image.info
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))
    html = client.get(response["Location"]).content.decode()
    assert "2张" in html


def test_a_text_file_named_jpg_is_refused_at_the_form(client, shop):
    response = _post(client, shop, [upload("发票.jpg", "明细见附件".encode())])
    assert response.status_code == 400
    html = response.content.decode()
    assert "“发票.jpg”不是JPEG或PNG格式的照片。" in html
    assert "您选择的1张照片没有保存，提交前请重新选择。" in html
    assert Complaint.objects.count() == 0


def test_an_oversized_photo_is_refused_at_the_form(client, shop):
    big = upload("大图.jpg", jpeg_with_gps() + b"\0" * photos.MAX_BYTES)
    response = _post(client, shop, [big])
    assert "照片“大图.jpg”超过5MB，请压缩或换一张。" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_six_photos_are_refused_at_the_form(client, shop):
    files = [upload(f"{n}.png", _png((8, 8)), "image/png") for n in range(6)]
    response = _post(client, shop, files)
    assert "最多上传5张照片。" in response.content.decode()
    assert Complaint.objects.count() == 0
