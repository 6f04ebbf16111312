"""The demo site's texts and figures as plain data, one module per section.

Bodies are lists of ``(block_type, value)`` pairs written with the shorthands in ``blocks``;
images and documents are named by key and resolved by the builder.
"""

from .alerts import ALERTS
from .cases import CASES
from .news import NEWS
from .reference import (
    ABOUT_PAGE,
    AUDIENCES,
    CASE_TYPES,
    HOME_PAGE,
    PORTAL_SETTINGS,
    PRIVACY_PAGE,
    SEASON_EVENTS,
    SECTIONS,
    SITE_NAME,
)
from .reports import CAMPAIGNS, REPORTS

__all__ = [
    "ABOUT_PAGE",
    "ALERTS",
    "AUDIENCES",
    "CAMPAIGNS",
    "CASES",
    "CASE_TYPES",
    "HOME_PAGE",
    "NEWS",
    "PORTAL_SETTINGS",
    "PRIVACY_PAGE",
    "REPORTS",
    "SEASON_EVENTS",
    "SECTIONS",
    "SITE_NAME",
]
