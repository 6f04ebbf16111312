"""Keep the site search index in step with publishing."""

from django.db import transaction
from wagtail.signals import page_published, page_unpublished

from .indexing import index_page, unindex_page


def _on_published(sender, instance, **kwargs):
    # After commit: a workflow approval publishes inside a transaction that may still roll back.
    transaction.on_commit(lambda: index_page(instance))


def _on_unpublished(sender, instance, **kwargs):
    transaction.on_commit(lambda: unindex_page(instance.pk))


def connect():
    page_published.connect(_on_published, dispatch_uid="search_index_published")
    page_unpublished.connect(_on_unpublished, dispatch_uid="search_index_unpublished")
