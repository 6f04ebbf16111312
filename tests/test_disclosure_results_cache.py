"""The results part of /disclosures/ is kept per data version and query string: asked again, it
is neither searched nor rendered again; any change to the data shows on the next request."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from disclosures import engines
from disclosures.views import search as search_view

from .disclosure_factories import make_disclosure

pytestmark = pytest.mark.django_db

URL = reverse("disclosures:search")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def keep_small_results(monkeypatch):
    monkeypatch.setattr(search_view, "RESULTS_CACHE_MIN_TOTAL", 2)


@pytest.fixture
def searches(monkeypatch):
    """The queries the engine was asked, in order."""
    asked = []
    real_search = engines.search

    def counting(query):
        asked.append(query)
        return real_search(query)

    monkeypatch.setattr(engines, "search", counting)
    return asked


@pytest.fixture
def records():
    return [
        make_disclosure(summary="消费者反映网购外套与描述不符，商家拒绝七日无理由退货。"),
        make_disclosure(summary="鞋子穿了一周开胶，要求退货被拒。", region="430102"),
    ]


def page(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_same_search_again_is_answered_without_searching(client, records, searches):
    first = page(client, {"q": "退货"})
    again = page(client, {"q": "退货"})
    assert again == first
    assert "共 2 件公示投诉" in again
    assert len(searches) == 1


def test_each_query_string_has_its_own_results(client, records, searches):
    everywhere = page(client, {"q": "退货"})
    by_relevance = page(client, {"q": "退货", "sort": "relevance"})
    assert "共 2 件公示投诉" in everywhere and "共 2 件公示投诉" in by_relevance
    assert "sort=relevance" in by_relevance and "sort=relevance" not in everywhere
    page(client, {"q": "退货", "sort": "relevance"})
    assert len(searches) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"q": "退货", "region": "430102"},  # one record: too few to be worth keeping
        {"q": "退货", "utm_source": "wechat"},  # a parameter the page does not know
        {"q": "退货", "page": "abc"},  # corrected while read
        {"q": "量子计算"},  # a word no record holds
    ],
)
def test_what_a_script_can_make_up_is_not_kept(client, records, searches, params):
    first = page(client, params)
    assert page(client, params) == first
    assert len(searches) == 2


def test_an_edit_shows_on_the_next_request(client, records, searches):
    assert "共 2 件公示投诉" in page(client, {"q": "退货"})
    records[1].summary = "鞋子穿了一周开胶，商家同意维修。"
    records[1].save()
    text = page(client, {"q": "退货"})
    assert "共 1 件公示投诉" in text
    assert "开胶" not in text
    assert len(searches) == 2


def test_a_record_whose_display_ends_today_is_gone_tomorrow(client, records, monkeypatch):
    from django.utils import timezone

    today = timezone.localdate()
    records[0].display_until = today
    records[0].save()
    assert "共 2 件公示投诉" in page(client, {"q": "退货"})
    # Midnight passes; nothing in the data changes.
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    assert "共 1 件公示投诉" in page(client, {"q": "退货"})


def test_the_page_around_the_results_is_still_the_readers(client, records, settings):
    assert 'class="large-text"' not in page(client, {"q": "退货"})
    client.cookies[settings.PORTAL_TEXT_SIZE_COOKIE] = "large"
    text = page(client, {"q": "退货"})  # the results kept, the reader's large print applied
    assert 'class="large-text"' in text
    assert "共 2 件公示投诉" in text


def test_nothing_is_kept_when_elasticsearch_answers(client, records, searches, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # refused: the database answers
    page(client, {"q": "退货"})
    page(client, {"q": "退货"})
    assert len(searches) == 2
