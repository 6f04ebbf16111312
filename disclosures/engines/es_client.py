"""The Elasticsearch client built from settings: several hosts, TLS with the cluster's CA
certificate, and an API key or a user and password (Elasticsearch 8 turns both on by default).

Two flavours share one connection pool: the reader's (``ELASTICSEARCH_TIMEOUT`` seconds, no
retry: a search falls back to the database instead) and the writer's for syncs and rebuilds
(longer timeout, connection errors retried; HTTP 429 and 5xx are retried with back-off by the
bulk helper, ``elastic._bulk``, so the transport does not retry them at once).
"""

import functools

from django.conf import settings
from elasticsearch import Elasticsearch

WRITER_TIMEOUT = 120.0
WRITER_RETRIES = 3


def hosts(url):
    """``ELASTICSEARCH_URL`` as a list of node addresses (comma-separated, blanks ignored)."""
    return [host.strip() for host in url.split(",") if host.strip()]


def connection_options(values):
    """Client keyword arguments for the security settings given (a dict of the settings)."""
    options = {}
    if values["ELASTICSEARCH_CA_CERTS"]:
        options["ca_certs"] = values["ELASTICSEARCH_CA_CERTS"]
    if values["ELASTICSEARCH_API_KEY"]:
        options["api_key"] = values["ELASTICSEARCH_API_KEY"]
    elif values["ELASTICSEARCH_USERNAME"]:
        options["basic_auth"] = (
            values["ELASTICSEARCH_USERNAME"],
            values["ELASTICSEARCH_PASSWORD"],
        )
    return options


@functools.lru_cache(maxsize=4)
def _client_for(url, timeout, security):
    return Elasticsearch(
        hosts(url),
        request_timeout=timeout,
        max_retries=0,
        retry_on_timeout=False,
        **connection_options(dict(security)),
    )


def reader_client():
    """The process-wide client for the configured cluster (one connection pool)."""
    security = (
        ("ELASTICSEARCH_CA_CERTS", settings.ELASTICSEARCH_CA_CERTS),
        ("ELASTICSEARCH_API_KEY", settings.ELASTICSEARCH_API_KEY),
        ("ELASTICSEARCH_USERNAME", settings.ELASTICSEARCH_USERNAME),
        ("ELASTICSEARCH_PASSWORD", settings.ELASTICSEARCH_PASSWORD),
    )
    return _client_for(settings.ELASTICSEARCH_URL, float(settings.ELASTICSEARCH_TIMEOUT), security)


def writer_options(client):
    """``client`` with the patience of staff work: syncs, rebuilds and alias moves."""
    return client.options(
        request_timeout=WRITER_TIMEOUT,
        max_retries=WRITER_RETRIES,
        retry_on_timeout=True,
        retry_on_status=(),
    )
