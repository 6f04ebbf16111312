"""One public address: what a consumer scans, reads and follows is PORTAL_BASE_URL, whatever
address the request came by and whatever the site settings say; the system check warns when the
settings name another one, and ``make run`` sets it to where the server answers."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from wagtail.models import Site

from home.checks import check_public_address
from home.models import PortalSettings
from home.site_address import sync_default_site
from merchants import qr

from .merchant_factories import make_merchant
from .pages import build_sections, make_alert
from .test_merchant_qr import decode, matrix_from_svg, png_image

pytestmark = pytest.mark.django_db

# A phone on the bureau's Wi-Fi reaches a laptop by its LAN address; the request that renders a
# page may come by any other name (localhost, a proxy's upstream name).
LAN = "http://192.168.1.20:8000"
OTHER_HOST = "localhost:8000"


@pytest.fixture
def lan(settings):
    settings.PORTAL_BASE_URL = LAN
    return LAN


def official_domain(domain):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.official_domain = domain
    portal.save()


def get(client, url):
    return client.get(url, HTTP_HOST=OTHER_HOST)


# --- what a consumer scans and reads ------------------------------------------------------


def test_the_qr_code_holds_the_public_address(client, lan):
    code = make_merchant().current_code.code
    response = get(client, reverse("merchants:qr_png", args=[code]))
    assert decode(png_image(response)) == [(f"{LAN}/m/{code}/", "Q")]


def test_the_genuine_box_names_the_public_address_not_another_domain(client, lan):
    official_domain("fxxf.amr.hunan.gov.cn")  # a stale setting the page must not repeat
    code = make_merchant().current_code.code
    html = get(client, reverse("merchants:scan", args=[code])).content.decode()
    box = html.split('id="genuine-title"')[1].split("</section>")[0]
    assert f'<p class="origin">{LAN}/</p>' in box
    assert f'<span class="page-url">{LAN}/m/{code}/</span>' in box
    assert "fxxf.amr.hunan.gov.cn" not in html
    assert "localhost" not in html
    assert f'<meta property="og:url" content="{LAN}/m/{code}/">' in html


def test_the_poster_prints_the_public_address_and_its_qr_code_opens_it(client, lan):
    official_domain("fxxf.amr.hunan.gov.cn")
    code = make_merchant().current_code.code
    page = get(client, reverse("merchants:poster", args=[code])).content.decode()
    assert "<strong>192.168.1.20:8000</strong>" in page
    assert "fxxf.amr.hunan.gov.cn" not in page
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    assert decode(qr.matrix_image(matrix_from_svg(svg), 6)) == [(f"{LAN}/m/{code}/", "Q")]


# --- what a feed reader and a search engine follow ----------------------------------------


def test_feed_links_are_on_the_public_address(client, lan):
    sections = build_sections()
    alert = make_alert(sections["alerts"], "预付卡消费提示", "办理预付卡前要看清经营者资质。")
    xml = get(client, reverse("feed_alerts")).content.decode()
    links = re.findall(r"<link>([^<]*)</link>", xml) + re.findall(r'href="([^"]*)"', xml)
    assert f"<link>{LAN}{alert.url}</link>" in xml
    assert f'href="{LAN}/feeds/alerts.xml"' in xml
    assert links and all(link.startswith(LAN + "/") for link in links), links


def test_canonical_and_share_links_are_on_the_public_address(client, lan):
    sections = build_sections()
    alert = make_alert(sections["alerts"], "预付卡消费提示", "办理预付卡前要看清经营者资质。")
    html = get(client, alert.url).content.decode()
    assert f'<link rel="canonical" href="{LAN}{alert.url}">' in html
    assert f'<meta property="og:url" content="{LAN}{alert.url}">' in html

    directory = get(client, reverse("merchants:directory")).content.decode()
    assert f'<link rel="canonical" href="{LAN}/merchants/">' in directory


# --- the system check -----------------------------------------------------------------------


def warnings():
    return sorted(warning.id for warning in check_public_address(None))


def test_the_check_is_quiet_when_everything_names_the_public_address(settings):
    settings.PORTAL_BASE_URL = "https://fxxf.amr.hunan.gov.cn"
    sync_default_site()  # what every migrate does
    assert warnings() == []
    for same in (
        "fxxf.amr.hunan.gov.cn",
        "FXXF.amr.hunan.gov.cn",
        "https://fxxf.amr.hunan.gov.cn/",
        "fxxf.amr.hunan.gov.cn:443",
    ):
        official_domain(same)
        assert warnings() == [], same
    official_domain("")  # not named: nothing to compare
    assert warnings() == []


def test_the_check_warns_when_the_official_domain_names_another_address(settings):
    settings.PORTAL_BASE_URL = "https://fxxf.amr.hunan.gov.cn"
    sync_default_site()
    for other in ("315.hunan.gov.cn", "fxxf.amr.hunan.gov.cn:8443"):
        official_domain(other)
        (warning,) = check_public_address(None)
        assert warning.id == "home.W003"
        assert f"“{other}”" in warning.msg and "https://fxxf.amr.hunan.gov.cn" in warning.msg


def test_the_check_warns_when_the_site_was_not_moved_to_a_new_address(settings):
    settings.PORTAL_BASE_URL = LAN  # changed since the last migrate
    (warning,) = check_public_address(None)
    assert warning.id == "home.W002"
    assert "migrate" in warning.hint
    sync_default_site()
    assert warnings() == []


def test_the_check_is_registered_and_runs_with_manage_py_check(settings):
    from django.core import checks

    settings.PORTAL_BASE_URL = "https://fxxf.amr.hunan.gov.cn"
    sync_default_site()
    official_domain("315.hunan.gov.cn")
    assert "home.W003" in [message.id for message in checks.run_checks()]


# --- make run --------------------------------------------------------------------------------


def make(*arguments):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # Run as a developer would, not as a sub-make of `make test` (CI): an inherited MAKELEVEL
    # adds "make[1]: Entering directory" lines, MAKEFLAGS the outer make's variables.
    inherited = {"PORTAL_BASE_URL", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    result = subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def make_sees(*arguments):
    """PORTAL_BASE_URL as the commands of ``make run`` see it, given ``arguments``."""
    show = ["-s", "--eval", "show-address: ; @echo $$PORTAL_BASE_URL", "show-address"]
    return make(*show, *arguments).strip()


def test_make_run_sets_the_public_address_to_where_it_serves():
    assert make_sees() == "http://127.0.0.1:8000"
    assert make_sees("PORT=8123") == "http://127.0.0.1:8123"
    assert make_sees("HOST=0.0.0.0", "PORTAL_BASE_URL=http://192.168.1.20:8000") == LAN
    # Listening on every interface: the machine's own address, never 0.0.0.0.
    assert not make_sees("HOST=0.0.0.0").startswith("http://0.0.0.0")


def test_make_run_says_the_address_before_it_serves_there():
    commands = make("--dry-run", "serve", "PORT=8123").splitlines()
    assert 'echo "公开网址（二维码、海报、RSS 所用）：http://127.0.0.1:8123/"' in commands
    assert commands[-1].endswith("manage.py runserver 127.0.0.1:8123")
