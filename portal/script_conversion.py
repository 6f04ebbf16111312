"""The 简/繁 switch: every public page in traditional characters for the reader who asks.

Pages are written and rendered in simplified Chinese, once; a reader who chose 繁體 (the
``PORTAL_SCRIPT_COOKIE`` cookie, set by ``set_script`` from the link in the header) gets the
rendered page converted by OpenCC on its way out, so every page, every cache in front of the
renderer (the scan page's) and every template stays single-script.

Why ``s2t`` (OpenCC's standard traditional characters): the readers are in Hong Kong, Macao,
Taiwan and abroad, and the page is an official text. ``s2t`` changes characters only, so every
word reads as the bureau wrote it. ``s2twp`` rewrites words into Taiwan usage and gets official
wording wrong (审核 → 稽核 "audit", 发布 → 釋出 "release", 信息 → 資訊); ``s2tw`` and ``s2hk``
follow one region's glyph standard, which a mainland bureau's site has no reason to pick over
the others.
OpenCC's phrase table still splits a few of this site's phrases wrongly (保留发票 became
保留髮票 "keep hair tickets"); ``script_phrases.txt`` corrects them, matched first.

Never converted: the admin, the API, feeds, documents (by path) and anything that is not an HTML
page (CSV, XLSX, PDF, JSON, XML: by content type or attachment). Converted pages are cached by
the hash of the simplified body, so a cached simplified page (the scan page's cache) and its
traditional copy never mix, and a page that changed is never served stale.
"""

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

import opencc
from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from common.reader_preferences import remember_and_return

from .script_html import convert_html, replace_switch

SIMPLIFIED = "hans"
TRADITIONAL = "hant"
# Not pages a reader reads in the browser, or read by programs that expect the data as stored.
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/feeds/", "/documents/", "/static/", "/media/")
CACHE_TIMEOUT = 60 * 60

# Phrases OpenCC's s2t gets wrong in this site's texts, one "simplified<TAB>traditional" a line,
# matched before its own (请保留发票 was 請保留髮票, 换发新码 換髮新碼).
PHRASES = Path(__file__).with_name("script_phrases.txt")

_converter = None
_converter_lock = threading.Lock()


def _config_with_phrases():
    """OpenCC's s2t configuration with PHRASES first among its phrase dictionaries."""
    # The package's own copy, found without loading it (loading s2t takes 150 ms) where the
    # package keeps it; else where a loaded converter says it is.
    standard = Path(getattr(opencc, "_opencc_share_dir", "")) / "s2t.json"
    if not standard.is_file():
        standard = Path(opencc.OpenCC("s2t").config)
    config = json.loads(standard.read_text(encoding="utf-8"))

    def visit(node):
        if isinstance(node, dict):
            if "file" in node:
                node["file"] = str(standard.parent / node["file"])
            if node.get("match_policy") == "union":
                node["dicts"].insert(0, {"type": "text", "file": str(PHRASES)})
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(config)
    return config


def _make_converter():
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(_config_with_phrases(), file)
    try:
        return opencc.OpenCC(file.name)
    finally:
        os.unlink(file.name)  # the dictionaries are loaded


def to_traditional(text):
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                # Loading the dictionaries takes 150 to 300 ms: once per process, when the first
                # reader asks for 繁體 (never in processes that serve none: commands, workers).
                _converter = _make_converter()
    return _converter.convert(text)


def reader_script(request):
    if request.COOKIES.get(settings.PORTAL_SCRIPT_COOKIE) == TRADITIONAL:
        return TRADITIONAL
    return SIMPLIFIED


def _traditional_switch(switch_html):
    """The switch as a 繁體 page shows it: back to 简体 (includes/script_switch.html)."""
    return (
        switch_html.replace(f"to={TRADITIONAL}", f"to={SIMPLIFIED}")
        .replace('lang="zh-Hant"', 'lang="zh-Hans"')
        .replace(">繁體<", ">简体<")
    )


def traditional_page(body):
    """The traditional page for a simplified page's body (bytes, UTF-8)."""
    html = convert_html(body.decode(), to_traditional, "zh-Hant")
    return replace_switch(html, _traditional_switch).encode()


def _cache_key(body):
    return f"script:{TRADITIONAL}:{hashlib.blake2b(body, digest_size=16).hexdigest()}"


def cached_traditional_page(body):
    key = _cache_key(body)
    converted = cache.get(key)
    if converted is None:
        converted = traditional_page(body)
        # A form's CSRF token makes each body unique: converting it again is cheaper than
        # filling the cache with copies nobody asks for twice.
        if b'name="csrfmiddlewaretoken"' not in body:
            cache.set(key, converted, CACHE_TIMEOUT)
    return converted


def is_reader_page(request, response):
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    if response.streaming or response.status_code == 204 or 300 <= response.status_code < 400:
        return False
    if response.has_header("Content-Disposition") or response.has_header("Content-Encoding"):
        return False
    return response.get("Content-Type", "").startswith("text/html")


class ScriptConversionMiddleware:
    """Converts a reader page to traditional characters when the reader chose 繁體."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_reader_page(request, response):
            return response
        # The same address answers in either script.
        patch_vary_headers(response, ["Cookie"])
        if reader_script(request) == TRADITIONAL:
            response.content = cached_traditional_page(response.content)
            response["Content-Language"] = "zh-Hant"
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


@require_safe
@never_cache
def set_script(request):
    """The switch's link: keep the script in a cookie and go back to the page (no JavaScript)."""
    script = TRADITIONAL if request.GET.get("to") == TRADITIONAL else SIMPLIFIED
    return remember_and_return(request, settings.PORTAL_SCRIPT_COOKIE, script, httponly=True)
