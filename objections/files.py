"""A merchant's licence photo and evidence files: checked, then kept under PRIVATE_MEDIA_ROOT.

Images go through ``complaints.photos.prepare`` (re-encoded, no EXIF or GPS); a PDF is taken
as it is when it starts with ``%PDF-`` and is no larger than ``MAX_PDF_BYTES``: what a file is
is decided by its bytes, never by its name or the type the browser claimed. No URL serves these
files; staff open them through the desk, which checks permission.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import photos

MAX_EVIDENCE = 5
MAX_PDF_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class FileError(Exception):
    """A file the portal cannot take; the message, in Chinese, tells the merchant why."""


@dataclass
class PreparedFile:
    data: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def size(self):
        return len(self.data)


def _name(uploaded):
    return (getattr(uploaded, "name", "") or _("文件"))[-200:]


def prepare_photo(uploaded):
    try:
        photo = photos.prepare(uploaded)
    except photos.PhotoError as error:
        raise FileError(str(error)) from None
    return PreparedFile(photo.data, photo.content_type, photo.extension, _name(uploaded))


def prepare_evidence(uploaded):
    """An image (re-encoded) or a PDF (as it is); raises FileError."""
    uploaded.seek(0)
    head = uploaded.read(len(PDF_MAGIC))
    uploaded.seek(0)
    if head != PDF_MAGIC:
        try:
            photo = photos.prepare(uploaded)
        except photos.NotAnImage:
            raise FileError(
                _("“%(name)s”不是PDF文件或JPEG、PNG格式的照片。") % {"name": _name(uploaded)}
            ) from None
        except photos.PhotoError as error:
            raise FileError(str(error)) from None
        return PreparedFile(photo.data, photo.content_type, photo.extension, _name(uploaded))
    data = uploaded.read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise FileError(_("文件“%(name)s”超过10MB，请压缩后再上传。") % {"name": _name(uploaded)})
    return PreparedFile(data, "application/pdf", "pdf", _name(uploaded))


def prepare_all_evidence(uploads):
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > MAX_EVIDENCE:
        raise FileError(_("最多上传%(count)d个证明材料。") % {"count": MAX_EVIDENCE})
    return [prepare_evidence(upload) for upload in uploads]


def store(prepared, kind):
    """Write a prepared file under PRIVATE_MEDIA_ROOT/objections/…; its relative path."""
    now = timezone.localtime()
    relative = Path(
        "objections",
        kind,
        f"{now:%Y}",
        f"{now:%m}",
        f"{secrets.token_hex(12)}.{prepared.extension}",
    )
    path = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(prepared.data)
    path.chmod(0o640)
    return relative.as_posix()
