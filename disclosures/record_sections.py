"""Sections that later apps add to a disclosed complaint's page, through a Wagtail hook.

As ``merchants.scan_sections``: an app with something to say about one record (the merchant's
objection, the correction log, the merchant's reply) registers a function under
``RECORD_SECTIONS_HOOK`` in its ``wagtail_hooks.py``. It is called with the disclosure and
returns the section's HTML, or an empty string to add nothing. The record page is rendered on
every request (no cache), so a staff decision shows at once.
"""

from django.utils.safestring import mark_safe
from wagtail import hooks

RECORD_SECTIONS_HOOK = "disclosure_record_sections"


def render_sections(disclosure):
    sections = (section(disclosure) for section in hooks.get_hooks(RECORD_SECTIONS_HOOK))
    return [mark_safe(html) for html in sections if html]
