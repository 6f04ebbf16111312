"""django-csp's middleware, with the site's policy built once per process instead of per response.

django-csp builds the Content-Security-Policy header from the settings for every response,
copying the settings through ``dataclasses.asdict`` twice (the policy and the report-only one):
about a sixth of a cached scan page's time in the process (profiled). The policy only changes
with the settings, so a response that no view adjusted (``csp_update``, ``csp_replace``,
``csp_exempt`` ...) and that used no nonce gets the headers built once; any other response goes
through django-csp unchanged.
"""

import functools

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What django-csp's decorators set on a response: such a response has a policy of its own.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_DEBUG_CODES = (404, 500)


@functools.cache
def _site_header():
    """(policy, excluded path prefixes) of the site's policy; None when a report-only policy
    is configured too, which this fast path leaves to django-csp."""
    if build_policy(report_only=True):
        return None
    configured = settings.CONTENT_SECURITY_POLICY or {}
    return build_policy(), tuple(configured.get("EXCLUDE_URL_PREFIXES", None) or ())


@receiver(setting_changed, dispatch_uid="portal_csp_setting_changed")
def _policy_settings_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_header.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        site = _site_header()
        if (
            site is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in _DEBUG_CODES:
            return response
        policy, excluded = site
        if policy and HEADER not in response and not request.path_info.startswith(excluded):
            response[HEADER] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
