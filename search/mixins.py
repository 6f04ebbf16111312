from wagtail.search import index

from .indexing import CHINESE_SEARCH_FIELD, page_text
from .text_analysis import index_text


class ChineseSearchMixin:
    """Adds the page's text as bigrams to Wagtail's own index (see ``wagtail_backend``)."""

    # Also as an autocomplete field: the admin's page search and choosers use autocomplete.
    search_fields = [
        index.SearchField(CHINESE_SEARCH_FIELD),
        index.AutocompleteField(CHINESE_SEARCH_FIELD),
    ]

    def chinese_search_text(self):
        return index_text(f"{self.title}\n{page_text(self)}")
