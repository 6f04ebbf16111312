"""A listed merchant's evidence files, checked and kept as a record objection's are
(``objections.files``: images re-encoded without EXIF or GPS, PDFs by their bytes, under
PRIVATE_MEDIA_ROOT, which no URL serves); staff open them through the admin."""

from objections import files

from .models import EntryObjectionEvidence

EvidenceError = files.FileError
prepare_all = files.prepare_all_evidence


def store(objection, prepared):
    """Write one prepared file for ``objection`` and record it."""
    return EntryObjectionEvidence.objects.create(
        objection=objection,
        file=files.store(prepared, "lists"),
        original_name=prepared.original_name,
        content_type=prepared.content_type,
        size=prepared.size,
    )
