from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One live public page as the site search sees it.

    ``title_tokens`` and ``body_tokens`` hold the output of ``text_analysis.index_text``; the
    full-text index over them is an FTS5 table on SQLite and a stored tsvector column with a GIN
    index on PostgreSQL (both created in migration 0002, named in ``site_search.SITE_INDEX``).
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="search_document"
    )
    page_type = models.CharField(_("页面类型"), max_length=100, db_index=True)
    title = models.CharField(_("标题"), max_length=255)
    summary = models.TextField(_("摘要"), blank=True)
    body_text = models.TextField(_("正文文本"), blank=True)
    date = models.DateField(_("日期"), null=True, blank=True)
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")

    def __str__(self):
        return self.title
