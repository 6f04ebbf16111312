"""Wagtail's own search (the admin's page search) with the site's Chinese text analysis.

modelsearch's database backends keep a Chinese sentence as one token, so an editor searching
the admin for 退货 would find nothing. Pages index an extra field of bigrams
(``ChineseSearchMixin``) and this backend rewrites plain-text queries into the same bigrams, on
whichever database modelsearch chose. Set as ``WAGTAILSEARCH_BACKENDS["default"]``.
"""

from functools import cache

from modelsearch.backends.database import SearchBackend as database_search_backend
from modelsearch.query import PlainText

from .text_analysis import query_terms


def bigram_query(query):
    if not isinstance(query, PlainText):
        return query
    tokens = [token for term in query_terms(query.query_string) for token in term.tokens]
    if not tokens:
        return query
    return PlainText(" ".join(tokens), operator="and", boost=query.boost)


class ChineseQueryMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = bigram_query(self.query)


@cache
def _chinese_backend_class(backend_class):
    def compiler(base):
        return type(f"Chinese{base.__name__}", (ChineseQueryMixin, base), {})

    return type(
        f"Chinese{backend_class.__name__}",
        (backend_class,),
        {
            "query_compiler_class": compiler(backend_class.query_compiler_class),
            "autocomplete_query_compiler_class": compiler(
                backend_class.autocomplete_query_compiler_class
            ),
        },
    )


def SearchBackend(params):
    backend = database_search_backend(params)
    return _chinese_backend_class(type(backend))(params)
