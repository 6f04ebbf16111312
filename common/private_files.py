"""Serving a file kept under PRIVATE_MEDIA_ROOT (a complainant's photo, a merchant's licence
or evidence) to staff a view has already allowed: never cached anywhere, never sniffed as
another type, and never a path outside the folder."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control


def private_file_path(relative):
    """The file ``relative`` names under PRIVATE_MEDIA_ROOT; Http404 when empty, outside the
    folder or missing."""
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if not relative or not path.is_relative_to(root) or not path.is_file():
        raise Http404
    return path


def private_file_response(path, content_type=None):
    content_type = content_type or mimetypes.guess_type(path.name)[0]
    response = FileResponse(path.open("rb"), content_type=content_type)
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
