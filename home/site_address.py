from urllib.parse import urlsplit

from django.conf import settings


def sync_default_site(**kwargs):
    """Make Wagtail's default Site match PORTAL_BASE_URL.

    Wagtail builds absolute page URLs (sitemap, full_url) from the Site record, while feeds, QR
    codes and Open Graph tags use PORTAL_BASE_URL; one source of truth keeps them identical.
    Connected to post_migrate, so every deployment's `migrate` applies it.
    """
    from wagtail.models import Site

    address = urlsplit(settings.PORTAL_BASE_URL)
    if not address.hostname:
        return
    port = address.port or (443 if address.scheme == "https" else 80)
    Site.objects.filter(is_default_site=True).exclude(hostname=address.hostname, port=port).update(
        hostname=address.hostname, port=port
    )
