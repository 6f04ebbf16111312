"""Creating demo pages idempotently and publishing them through revisions.

A page is looked up by its slug under its parent. If it is missing it is created, saved as a
revision by the demo editor and published by the demo reviewer, so it is live, has a history and
appears in the audit log like any page an editor made. If it exists it is kept as it is (an editor
may have changed it), unless ``update=True``: then it is rewritten and republished only when its
content differs from the demo data, so a re-run never adds needless revisions.
"""

import copy
import datetime
import json
import uuid
from collections import Counter

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Page

# Stream block ids are derived from the page slug and the block position, so the same data gives
# the same stored JSON and comparing it with the database is exact.
BLOCK_ID_NAMESPACE = uuid.UUID("6b0f3c1e-3a43-4d55-9f0e-315f0a0c2026")


def _without_ids(value):
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def _stream_data(stream_value):
    """The stored JSON of a StreamField value, without block ids."""
    raw = list(stream_value.raw_data) if stream_value is not None else []
    return _without_ids(json.loads(json.dumps(raw, cls=DjangoJSONEncoder)))


def publication_time(day):
    """09:30 local time on the article's date, or now if that is still ahead."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    return min(moment, timezone.now())


class PageBuilder:
    def __init__(self, images, documents, editor=None, publisher=None, update=False):
        self.images = images
        self.documents = documents
        self.editor = editor
        self.publisher = publisher or editor
        self.update = update
        self.stats = Counter()
        self.warnings = []

    # --- StreamField data -----------------------------------------------------------------

    def stream(self, slug, blocks):
        """Raw StreamField JSON for ``(block_type, value)`` pairs; image and document keys
        become database ids."""
        data = []
        for index, (block_type, value) in enumerate(blocks):
            value = copy.deepcopy(value)
            if block_type == "image":
                value["image"] = self.images[value["image"]].pk
            elif block_type == "document":
                value["document"] = self.documents[value["document"]].pk
            block_id = str(uuid.uuid5(BLOCK_ID_NAMESPACE, f"{slug}/{index}"))
            data.append({"type": block_type, "value": value, "id": block_id})
        return data

    def image(self, key):
        return self.images[key] if key else None

    # --- pages ----------------------------------------------------------------------------

    def _differs(self, page, fields, relations):
        for name, wanted in fields.items():
            field = page._meta.get_field(name)
            if isinstance(field, StreamField):
                if _stream_data(getattr(page, name)) != _without_ids(wanted):
                    return True
            elif isinstance(field, models.ForeignKey):
                if getattr(page, field.attname) != (wanted.pk if wanted is not None else None):
                    return True
            elif getattr(page, name) != wanted:
                return True
        for name, wanted in relations.items():
            current = set(getattr(page, name).values_list("pk", flat=True))
            if current != {item.pk for item in wanted}:
                return True
        return False

    def _publish(self, page):
        # Like the admin: the editor saves a revision ("wagtail.edit"), the reviewer publishes it.
        revision = page.save_revision(user=self.editor, log_action=True)
        revision.publish(user=self.publisher)
        return page

    def ensure(self, parent, model, slug, fields, relations=None):
        """The page ``slug`` under ``parent``: created, updated or kept. ``None`` if the slug is
        taken by a page of another type (then it is left alone and a warning is recorded)."""
        relations = relations or {}
        existing = Page.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            page = existing.specific
            if not isinstance(page, model):
                self.stats["skipped"] += 1
                self.warnings.append(
                    f"“{parent.title}”下的 {slug} 已被其他类型的页面（{page._meta.verbose_name}）"
                    "占用，未处理"
                )
                return None
            return self._refresh(page, fields, relations)

        # The owner is who page creation is logged for ("wagtail.create"), as in the admin.
        page = model(slug=slug, live=False, owner=self.editor, **fields)
        if fields.get("date"):
            # Dated articles look published on their own date, as in the bureau's archive.
            page.first_published_at = publication_time(fields["date"])
        for name, items in relations.items():
            setattr(page, name, list(items))
        parent.add_child(instance=page)
        self.stats["created"] += 1
        return self._publish(page)

    def _refresh(self, page, fields, relations, force=False):
        if not (self.update or force) or not self._differs(page, fields, relations):
            self.stats["kept"] += 1
            return page
        for name, value in fields.items():
            setattr(page, name, value)
        for name, items in relations.items():
            setattr(page, name, list(items))
        self.stats["updated"] += 1
        return self._publish(page)

    def refresh(self, page, fields, force=False):
        """Update an existing page (the home page) in place; ``force`` even without ``update``."""
        return self._refresh(page.specific, fields, {}, force=force)

    def order_children(self, parent, pages):
        """Put ``pages`` in this order among ``parent``'s children (others keep their place)."""
        pages = [page for page in pages if page is not None]
        wanted = [page.pk for page in pages]
        current = list(parent.get_children().filter(pk__in=wanted).values_list("pk", flat=True))
        if current == wanted:
            return
        for previous, page in zip(pages, pages[1:], strict=False):
            page = Page.objects.get(pk=page.pk)
            page.move(Page.objects.get(pk=previous.pk), pos="right")
