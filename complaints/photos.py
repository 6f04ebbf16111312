"""A consumer's photos: checked, re-encoded without EXIF or GPS, kept outside the public media.

``prepare`` runs before anything is stored (the form and the API show its Chinese message next
to the photo field); ``store`` writes a prepared photo under ``settings.PRIVATE_MEDIA_ROOT``,
which no URL serves: a photo is personal data, shown only on the desk.

Whether a file is an image is decided by Pillow opening it, never by its name or the type the
browser claimed. Re-encoding drops every metadata block (EXIF with its GPS position, XMP,
comments) after the EXIF orientation has been applied, so a photo taken upright stays upright.
"""

import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 5
MAX_BYTES = 5 * 1024 * 1024
# A phone's 50-megapixel photo is 8160 × 6120; a larger one is a decompression bomb, refused
# from its header before a single pixel is decoded.
MAX_PIXELS = 60_000_000

_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
}


class PhotoError(Exception):
    """A photo the portal cannot take; the message, in Chinese, tells the consumer why."""


class NotAnImage(PhotoError):
    """The file is no JPEG or PNG at all (a form that also takes PDFs says so its own way)."""


@dataclass
class PreparedPhoto:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int

    @property
    def size(self):
        return len(self.data)


def _name(uploaded):
    return getattr(uploaded, "name", "") or _("照片")


def prepare(uploaded):
    """A checked, re-encoded copy of one uploaded photo; raises PhotoError."""
    name = _name(uploaded)
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        raise PhotoError(_("照片“%(name)s”超过5MB，请压缩或换一张。") % {"name": name})
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoError(_("照片“%(name)s”超过5MB，请压缩或换一张。") % {"name": name})
    not_image = NotAnImage(_("“%(name)s”不是JPEG或PNG格式的照片。") % {"name": name})
    if not data:
        raise not_image
    try:
        image = Image.open(io.BytesIO(data))
        # Some phones write a JPEG with a second, smaller picture in it (MPO): still a JPEG.
        image_format = "JPEG" if image.format == "MPO" else image.format
        if image_format not in _FORMATS:
            raise not_image
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise PhotoError(_("照片“%(name)s”像素过大，请换一张。") % {"name": name})
        image.load()
        image = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        raise not_image from None
    return _encode(image, image_format)


def _encode(image, image_format):
    out = io.BytesIO()
    # Only what the pixels need survives: transparency of a palette PNG, nothing else.
    transparency = image.info.get("transparency")
    image.info = {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True)
    else:
        options = {"optimize": True}
        if transparency is not None:
            options["transparency"] = transparency
        image.save(out, "PNG", **options)
    content_type, extension = _FORMATS[image_format]
    return PreparedPhoto(out.getvalue(), content_type, extension, image.width, image.height)


def prepare_all(uploads):
    """Every photo of one submission, or PhotoError for the first that fails (or too many)."""
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > MAX_PHOTOS:
        raise PhotoError(_("最多上传%(count)d张照片。") % {"count": MAX_PHOTOS})
    return [prepare(upload) for upload in uploads]


def store(complaint, prepared):
    """Write one prepared photo under PRIVATE_MEDIA_ROOT and record it; returns ComplaintPhoto."""
    from .models import ComplaintPhoto

    day = timezone.localtime(complaint.submitted_at)
    relative = Path(
        "complaints",
        f"{day:%Y}",
        f"{day:%m}",
        f"{complaint.tracking_number}-{secrets.token_hex(8)}.{prepared.extension}",
    )
    path = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    # "x": a name is never reused, and never overwrites another complaint's photo.
    with open(path, "xb") as handle:
        handle.write(prepared.data)
    path.chmod(0o640)
    return ComplaintPhoto.objects.create(
        complaint=complaint,
        file=relative.as_posix(),
        content_type=prepared.content_type,
        width=prepared.width,
        height=prepared.height,
        size=prepared.size,
    )
