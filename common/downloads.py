"""Downloads named in Chinese: the Content-Disposition of a file a reader saves.

A Chinese name goes in ``filename*`` (RFC 6266 with RFC 5987's UTF-8 percent-encoding), which
every current browser reads; ``filename`` carries an ASCII name for the few clients that do not
(old download managers, ``curl -J``), as Wagtail does for documents.
"""

from urllib.parse import quote


def attachment(filename, ascii_fallback):
    """``attachment; filename="disclosures-2026-11-26.csv"; filename*=UTF-8''%E6%8A%95…``."""
    if filename.isascii():
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"
