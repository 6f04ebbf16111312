"""The site search's groups beyond pages (merchants, complaints), contributed by later apps.

``search/`` knows no other app of the project, so an app that has something a reader may look
for registers a function under the Wagtail hook ``SITE_SEARCH_GROUPS_HOOK``:

    hooks.register(SITE_SEARCH_GROUPS_HOOK, site_search.merchant_group)

It is called as ``function(text, limit)`` with the cleaned query (never blank) and returns a
``ResultGroup``: how many records match in all, the first ``limit`` of them as plain
``ResultItem`` values, and where the full results are, or None to stay out of the page. The
/search/ page shows the groups by ``order`` (then ``key``), so the layout does not depend on
the order in which apps are loaded.
"""

from dataclasses import dataclass, field

from wagtail import hooks

SITE_SEARCH_GROUPS_HOOK = "site_search_groups"
# Each group shows its best few; the rest are one link away, in the app's own search.
GROUP_LIMIT = 3


@dataclass
class Badge:
    label: str
    tone: str = ""  # a modifier of the ``result-group__badge`` class: ok, alert, wait or blank


@dataclass
class ResultItem:
    title: str
    url: str
    badges: list = field(default_factory=list)  # [Badge]
    details: list = field(default_factory=list)  # short facts, shown on one line
    snippet: str = ""  # plain text; the page marks the query's words in it
    marked_snippet: str = field(default="", init=False)  # set by the page


@dataclass
class ResultGroup:
    key: str  # stable name, also the anchor of the group on the page (#group-<key>)
    title: str
    unit: str  # the measure word after the count: 家, 条
    count: int
    more_url: str
    more_label: str
    order: int = 100
    items: list = field(default_factory=list)  # [ResultItem], at most the limit asked for


def result_groups(text, limit=GROUP_LIMIT):
    """Every registered group's answer to ``text``, in ``order``; none for a blank text."""
    if not text:
        return []
    groups = [function(text, limit) for function in hooks.get_hooks(SITE_SEARCH_GROUPS_HOOK)]
    return sorted((group for group in groups if group is not None), key=lambda g: (g.order, g.key))
