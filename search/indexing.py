"""Turning a live page into its SearchDocument, and keeping the documents in step."""

import html

from django.db import transaction
from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index

from .models import SearchDocument
from .text_analysis import index_text

# The method ChineseSearchMixin adds to Wagtail's index (see wagtail_backend).
CHINESE_SEARCH_FIELD = "chinese_search_text"
# The title is indexed on its own; the bigram field is derived from this very text.
SKIPPED_FIELDS = {"title", CHINESE_SEARCH_FIELD}


def _flatten(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _flatten(item)]
    return [html.unescape(strip_tags(str(value))).strip()]


def page_text(page):
    """The readable text of a page, from the same ``search_fields`` Wagtail's admin uses."""
    parts = []
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name not in SKIPPED_FIELDS:
            parts.extend(_flatten(field.get_value(page)))
    return "\n".join(part for part in parts if part)


def is_searchable(page):
    return page.live and not page.get_view_restrictions().exists() and not page.is_root()


def index_page(page):
    """Create or refresh the document of one page, or drop it if the page is not public."""
    page = page.specific
    if not is_searchable(page):
        unindex_page(page.pk)
        return None
    body = page_text(page)
    summary = getattr(page, "intro", "") or page.search_description or ""
    document, _created = SearchDocument.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "page_type": page._meta.label_lower,
            "title": page.title,
            "summary": summary,
            "body_text": body,
            "date": getattr(page, "date", None) or page.first_published_at,
            "title_tokens": index_text(page.title),
            "body_tokens": index_text(body),
        },
    )
    return document


def unindex_page(page_id):
    SearchDocument.objects.filter(page_id=page_id).delete()


@transaction.atomic
def rebuild_index():
    """Index every live public page from scratch; returns the number of pages indexed."""
    SearchDocument.objects.all().delete()
    count = 0
    for page in Page.objects.live().public().exclude(depth=1).specific().iterator(chunk_size=200):
        if index_page(page):
            count += 1
    return count
