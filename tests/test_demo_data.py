"""`manage.py load_demo` builds a complete site and can run twice without duplicating."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

from editorial.models import (
    AlertPage,
    Audience,
    CampaignPage,
    CasePage,
    CaseType,
    NewsPage,
    ReportPage,
    SeasonEvent,
)
from home.models import PortalSettings
from search.site_search import search_site

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        first, second = StringIO(), StringIO()
        counts = []
        call_command("load_demo", stdout=first)
        counts.append(Page.objects.count())
        call_command("load_demo", stdout=second)
        counts.append(Page.objects.count())
        yield {
            "first_output": first.getvalue(),
            "second_output": second.getvalue(),
            "counts": counts,
        }
        # Module-scoped data outlives the per-test transactions: remove it for other modules.
        Page.objects.filter(depth__gt=2).delete()
        Image.objects.all().delete()
        Document.objects.all().delete()
        get_user_model().objects.all().delete()
        for model in (Audience, SeasonEvent, CaseType, PortalSettings):
            model.objects.all().delete()


def test_the_demo_has_every_kind_of_content(demo_site):
    assert AlertPage.objects.live().count() >= 12
    assert CasePage.objects.live().count() >= 8
    assert NewsPage.objects.live().count() >= 6
    assert CampaignPage.objects.live().exists()
    assert ReportPage.objects.live().filter(document__isnull=False).exists()
    assert Image.objects.exists()


def test_running_twice_does_not_duplicate(demo_site):
    first, second = demo_site["counts"]
    assert first == second
    assert Image.objects.values("title").distinct().count() == Image.objects.count()


def test_admin_user_is_printed_not_hard_coded(demo_site):
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert "admin" in demo_site["first_output"]
    # The password shown on the first run logs in; a second run does not reset it.
    password_line = next(
        line
        for line in demo_site["first_output"].splitlines()
        if "admin" in line and "密码" in line
    )
    password = password_line.rsplit(None, 1)[-1]
    assert user.check_password(password)
    assert password not in demo_site["second_output"]


def test_every_demo_page_renders(client, demo_site):
    for page in Page.objects.live().exclude(depth=1).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url


@pytest.mark.parametrize("term", ["退货", "预付卡", "跑路", "双11", "直播带货", "12315"])
def test_demo_content_is_found_by_chinese_search(demo_site, term):
    assert search_site(term).total > 0
