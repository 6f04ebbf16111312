"""Documents saved under their Chinese title.

An editor often uploads ``report2026.pdf`` and titles it 《2026年上半年投诉举报数据分析报告》: the
reader clicking the title should save a file called by it, not by the upload's ASCII name.
Wagtail names the download after the stored file, so this rewrites the Content-Disposition of
its document view on the way out (after Wagtail's own privacy checks, which ran in the view). A
file already uploaded under a Chinese name keeps it: the editor chose it.
"""

import re
from pathlib import PurePosixPath

from wagtail.documents import get_document_model

from common.downloads import attachment

# Characters no file system takes, and the brackets of a book title.
UNSAFE = re.compile(r'[\\/:*?"<>|《》\x00-\x1f]')


def download_name(title, stored_name):
    """``《2025年报告》摘要`` + ``report.pdf`` → ``2025年报告摘要.pdf``; None when not Chinese."""
    if not stored_name.isascii() or title.isascii():
        return None
    suffix = PurePosixPath(stored_name).suffix.lower()
    stem = UNSAFE.sub("", title).strip(" .")[:120]
    if not stem:
        return None
    return stem if stem.lower().endswith(suffix) else f"{stem}{suffix}"


class DocumentDownloadNameMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is None
            or match.url_name != "wagtaildocs_serve"
            or response.status_code != 200
            or "Content-Disposition" not in response
        ):
            return response
        document = get_document_model().objects.filter(pk=match.args[0]).first()
        if document is None:
            return response
        name = download_name(document.title, document.filename)
        if name:
            inline = response["Content-Disposition"].startswith("inline")
            value = attachment(name, document.filename)
            response["Content-Disposition"] = (
                value.replace("attachment", "inline", 1) if inline else value
            )
        return response
