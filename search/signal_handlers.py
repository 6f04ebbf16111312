"""Keep the site search index in step with publishing.

The index lives in the same database as the pages, so it is written inside the publishing
transaction: a rolled-back publish leaves no index entry behind.
"""

from wagtail.signals import page_published, page_unpublished

from .indexing import index_page, unindex_page


def _on_published(sender, instance, **kwargs):
    index_page(instance)


def _on_unpublished(sender, instance, **kwargs):
    unindex_page(instance.pk)


def connect():
    page_published.connect(_on_published, dispatch_uid="search_index_published")
    page_unpublished.connect(_on_unpublished, dispatch_uid="search_index_unpublished")
