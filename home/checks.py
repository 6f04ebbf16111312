"""System checks on the settings the whole site leans on: the shared cache and trusted proxies.

Rate limits (API, CSV export) and the cached scan pages live in the default cache. A cache kept
inside each process (local memory) or none at all (dummy) would let every gunicorn worker count
alone, so a client gets the limit once per worker; production must use Redis. That check runs
with ``manage.py check --deploy`` (part of the production steps in the README), not on every
``manage.py`` command: the test and embedded settings rightly keep a local-memory cache.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.translation import gettext as _

from common.client_address import parse_network

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, Tags.security, deploy=True)
def check_cache_is_shared(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            _("默认缓存（%(backend)s）不在进程之间共享：每个工作进程各自计数，限流形同虚设。")
            % {"backend": backend.rsplit(".", 1)[-1]},
            hint=_("请设置环境变量 REDIS_URL（例如 redis://127.0.0.1:6379/0），使用 Redis 缓存。"),
            id="home.E001",
        )
    ]


@register(Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    errors = [
        Error(
            _("TRUSTED_PROXIES 中的“%(entry)s”不是 IP 地址或网段。") % {"entry": entry},
            hint=_("请写成逗号分隔的地址或 CIDR 网段，例如 10.0.0.5,172.16.0.0/12,fd00::/8。"),
            id="home.E002",
        )
        for entry in settings.TRUSTED_PROXIES
        if parse_network(entry) is None
    ]
    if hasattr(settings, "API_TRUST_X_FORWARDED_FOR"):
        errors.append(
            Warning(
                _("API_TRUST_X_FORWARDED_FOR 已不再使用，X-Forwarded-For 只在来自可信代理时读取。"),
                hint=_("请删除该设置，改为在 TRUSTED_PROXIES 中列出前置代理的地址。"),
                id="home.W001",
            )
        )
    return errors
