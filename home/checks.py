"""System checks on the settings the whole site leans on: the shared cache, trusted proxies,
the one public address and the Elasticsearch connection (hosts, index prefix, CA certificate).

Rate limits (API, CSV export) and the cached scan pages live in the default cache. A cache kept
inside each process (local memory) or none at all (dummy) would let every gunicorn worker count
alone, so a client gets the limit once per worker; production must use Redis. That check runs
with ``manage.py check --deploy`` (part of the production steps in the README), not on every
``manage.py`` command: the test and embedded settings rightly keep a local-memory cache.
"""

import os
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError
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


def _host_and_port(address):
    """(host, port or None) of a URL or a bare domain such as ``fxxf.amr.hunan.gov.cn:8443``."""
    address = address.strip()
    parts = urlsplit(address if "//" in address else f"//{address}")
    try:
        return (parts.hostname or "").lower(), parts.port
    except ValueError:  # a port that is not a number
        return (parts.hostname or "").lower(), None


@register("public_address")
def check_public_address(app_configs, **kwargs):
    """The site settings must name the address QR codes, posters, feeds and links use.

    Everything a consumer or a feed reader follows is built on PORTAL_BASE_URL. The default
    Wagtail Site (sitemap, full page URLs) is set to it by every ``migrate``
    (``site_address.sync_default_site``), so it differs only when PORTAL_BASE_URL changed since;
    the official domain in 站点信息 is typed by the bureau, and a poster printed while the two
    differ sends consumers to an address the bureau does not vouch for.
    """
    from wagtail.models import Site

    from .models import PortalSettings

    base = urlsplit(settings.PORTAL_BASE_URL)
    host, port = (base.hostname or "").lower(), base.port
    default_port = 443 if base.scheme == "https" else 80
    try:
        site = Site.objects.filter(is_default_site=True).first()
        domain = (
            PortalSettings.objects.filter(site=site).values_list("official_domain", flat=True)
            if site
            else PortalSettings.objects.none()
        ).first()
    except DatabaseError:
        return []  # no database yet, or not migrated: nothing to compare
    warnings = []
    if site and (site.hostname.lower(), site.port) != (host, port or default_port):
        warnings.append(
            Warning(
                _(
                    "默认站点的地址（%(site)s:%(port)s）与 PORTAL_BASE_URL（%(base)s）不一致："
                    "站点地图和页面完整网址会指向别处。"
                )
                % {"site": site.hostname, "port": site.port, "base": settings.PORTAL_BASE_URL},
                hint=_("运行 manage.py migrate，默认站点会按 PORTAL_BASE_URL 更新。"),
                id="home.W002",
            )
        )
    if domain:
        named_host, named_port = _host_and_port(domain)
        if named_host != host or (named_port is not None and named_port != (port or default_port)):
            warnings.append(
                Warning(
                    _(
                        "站点信息中的本站官方域名“%(domain)s”与 PORTAL_BASE_URL（%(base)s）"
                        "不一致：二维码、海报和扫码页上的网址都以 PORTAL_BASE_URL 为准，"
                        "消费者核对时会对不上。"
                    )
                    % {"domain": domain, "base": settings.PORTAL_BASE_URL},
                    hint=_(
                        "请把 PORTAL_BASE_URL 设为本站对外的网址，或在后台“设置 → 站点信息”中"
                        "改正本站官方域名（留空则不核对）。"
                    ),
                    id="home.W003",
                )
            )
    return warnings


# An Elasticsearch index name: lower case, no \ / * ? " < > | , # : or space, not starting with
# "-", "_" or "+". The prefix is kept to the plain subset of that.
INDEX_PREFIX = re.compile(r"^[a-z0-9][a-z0-9._-]{0,199}$")


@register("elasticsearch")
def check_elasticsearch_settings(app_configs, **kwargs):
    """The Elasticsearch settings, checked on every command rather than at the first sync."""
    if not settings.ELASTICSEARCH_URL:
        return []
    errors = []
    prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    if not INDEX_PREFIX.match(prefix):
        errors.append(
            Error(
                _("ELASTICSEARCH_INDEX_PREFIX（“%(prefix)s”）不能用作 Elasticsearch 索引名。")
                % {"prefix": prefix},
                hint=_(
                    "只能用小写字母、数字和“-”“_”“.”，以小写字母或数字开头，"
                    "例如 fangxin 或 hunan-fx。"
                ),
                id="home.E003",
            )
        )
    for host in settings.ELASTICSEARCH_URL.split(","):
        parts = urlsplit(host.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            errors.append(
                Error(
                    _("ELASTICSEARCH_URL 中的“%(host)s”不是 http:// 或 https:// 开头的地址。")
                    % {"host": host.strip()},
                    hint=_("多个节点用逗号分隔，例如 https://es1:9200,https://es2:9200。"),
                    id="home.E004",
                )
            )
    ca_certs = settings.ELASTICSEARCH_CA_CERTS
    if ca_certs and not os.path.isfile(ca_certs):
        errors.append(
            Error(
                _("ELASTICSEARCH_CA_CERTS 指向的文件“%(path)s”不存在。") % {"path": ca_certs},
                hint=_("请填写集群 CA 证书（PEM 格式）的完整路径，例如 http_ca.crt。"),
                id="home.E005",
            )
        )
    if settings.ELASTICSEARCH_USERNAME and not settings.ELASTICSEARCH_PASSWORD:
        errors.append(
            Error(
                _("设置了 ELASTICSEARCH_USERNAME，但没有设置 ELASTICSEARCH_PASSWORD。"),
                hint=_("请同时设置密码，或改用 ELASTICSEARCH_API_KEY。"),
                id="home.E006",
            )
        )
    return errors
