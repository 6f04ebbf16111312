"""Admin viewsets every app's reference data shares."""

from wagtail.snippets.views.snippets import SnippetViewSet


class NamedReferenceViewSet(SnippetViewSet):
    """The admin of a ``NamedReference`` model: names in the editors' order.

    A subclass names its model and icon, and lists more columns when it has them.
    """

    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]
