"""A listed merchant's evidence files: checked, then kept under PRIVATE_MEDIA_ROOT (no URL
serves it; staff open them through the admin, which checks permission).

Images go through ``complaints.photos.prepare`` (re-encoded, no EXIF or GPS); a PDF is kept as
it is when its bytes start with ``%PDF-``. What a file is comes from its bytes, never its name.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from complaints import photos

MAX_FILES = 5
MAX_PDF_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class EvidenceError(Exception):
    """A file the portal cannot take; the message, in Chinese, tells the merchant why."""


@dataclass
class PreparedFile:
    data: bytes
    content_type: str
    extension: str
    original_name: str


def _name(uploaded):
    return (getattr(uploaded, "name", "") or _("文件"))[-200:]


def prepare(uploaded):
    uploaded.seek(0)
    head = uploaded.read(len(PDF_MAGIC))
    uploaded.seek(0)
    if head == PDF_MAGIC:
        data = uploaded.read(MAX_PDF_BYTES + 1)
        if len(data) > MAX_PDF_BYTES:
            raise EvidenceError(_("文件“%(name)s”超过10MB。") % {"name": _name(uploaded)})
        return PreparedFile(data, "application/pdf", "pdf", _name(uploaded))
    try:
        photo = photos.prepare(uploaded)
    except photos.PhotoError:
        raise EvidenceError(
            _("“%(name)s”不是PDF文件或JPEG、PNG格式的照片。") % {"name": _name(uploaded)}
        ) from None
    return PreparedFile(photo.data, photo.content_type, photo.extension, _name(uploaded))


def prepare_all(uploads):
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > MAX_FILES:
        raise EvidenceError(_("最多上传%(count)d个证据文件。") % {"count": MAX_FILES})
    return [prepare(upload) for upload in uploads]


def store(objection, prepared):
    """Write one prepared file for ``objection`` and record it."""
    from .models import EntryObjectionEvidence

    relative = Path(
        "lists",
        str(objection.page_id),
        f"{objection.pk}-{secrets.token_hex(8)}.{prepared.extension}",
    )
    path = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(prepared.data)
    path.chmod(0o640)
    return EntryObjectionEvidence.objects.create(
        objection=objection,
        file=relative.as_posix(),
        original_name=prepared.original_name,
        content_type=prepared.content_type,
        size=len(prepared.data),
    )
