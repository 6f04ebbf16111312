"""Sections that later apps add to the scan page, through a Wagtail hook.

The registry knows no app: an app that has something to say about a merchant at the counter
(its complaint record, its place on the red/black list) registers a function under
``SCAN_SECTIONS_HOOK`` in its ``wagtail_hooks.py``. It is called with the merchant and the local
date and returns the section's HTML, or an empty string to add nothing. Sections appear in the
order of ``INSTALLED_APPS``; the page is cached whole, so a section costs nothing per scan.
"""

from django.utils.safestring import mark_safe
from wagtail import hooks

SCAN_SECTIONS_HOOK = "merchant_scan_sections"


def render_sections(merchant, today):
    sections = (section(merchant, today) for section in hooks.get_hooks(SCAN_SECTIONS_HOOK))
    return [mark_safe(html) for html in sections if html]
