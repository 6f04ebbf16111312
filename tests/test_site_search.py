"""Chinese site search on whichever database the suite runs on (SQLite FTS5 or PostgreSQL)."""

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from search.models import SearchDocument
from search.site_search import search_site

from .pages import build_sections, make_alert, make_case, paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    sections = build_sections()
    pages = {
        "returns": make_alert(
            sections["alerts"],
            "双11网购消费提示:理性下单,看清无理由退货规则",
            "部分商品不适用七日无理由退货,下单前请看清商品页面的退货说明。",
        ),
        "prepaid": make_alert(
            sections["alerts"],
            "办理预付卡要谨慎",
            "健身、美容美发等行业办理预付卡前,要查看经营者资质,不要一次性充值过多。",
        ),
        "runaway": make_case(
            sections["cases"],
            "某健身房收取会员费后关门案",
            "当事人以开业优惠为名销售年卡,收取预付款后经营者跑路,消费者通过12315投诉。",
        ),
        "elderly": make_alert(
            sections["alerts"],
            "老年人购买保健品消费警示",
            "警惕以免费体检、健康讲座为名推销保健食品,保健食品不能代替药物。",
            alert_kind="warning",
        ),
    }
    return sections, pages


def titles(results):
    return {result.page.title for result in results.results}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("退货", {"returns"}),
        ("预付", {"prepaid", "runaway"}),
        ("预付卡", {"prepaid"}),
        ("跑路", {"runaway"}),
        ("12315", {"runaway"}),
        ("保健品", {"elderly"}),
    ],
)
def test_chinese_terms_find_the_pages_that_contain_them(content, query, expected):
    _sections, pages = content
    results = search_site(query)
    assert titles(results) == {pages[key].title for key in expected}
    assert results.total == len(expected)


def test_a_word_that_appears_nowhere_finds_nothing(content):
    results = search_site("量子计算机")
    assert results.total == 0
    assert results.results == []


def test_characters_that_are_not_adjacent_do_not_match_a_phrase(content):
    # 卡 and 退 both occur in the pages, but never as 卡退.
    assert search_site("卡退").total == 0


def test_all_terms_separated_by_spaces_must_match(content):
    _sections, pages = content
    assert titles(search_site("健身 跑路")) == {pages["runaway"].title}
    assert search_site("健身 量子").total == 0


def test_single_character_query_matches_by_prefix(content):
    _sections, pages = content
    assert pages["elderly"].title in titles(search_site("药"))


def test_title_matches_rank_before_body_matches(content):
    sections, _pages = content
    make_alert(sections["alerts"], "关于网购的一般提示", "如遇退货纠纷可拨打热线。")
    results = search_site("退货")
    assert results.results[0].page.title.startswith("双11网购消费提示")


def test_type_counts_and_type_filter(content):
    results = search_site("预付")
    counts = {item["value"]: item["count"] for item in results.type_counts}
    assert counts == {"editorial.alertpage": 1, "editorial.casepage": 1}
    labels = {item["label"] for item in results.type_counts}
    assert labels == {"消费提示/警示", "典型案例"}
    only_cases = search_site("预付", page_type="editorial.casepage")
    assert [r.page.title for r in only_cases.results] == ["某健身房收取会员费后关门案"]


def test_snippet_marks_the_matched_words(content):
    results = search_site("退货")
    assert "<mark>退货</mark>" in results.results[0].snippet


def test_long_query_without_exact_phrase_falls_back_to_near_matches(content):
    _sections, pages = content
    exact = search_site("健身房")
    assert exact.relaxed is False
    near = search_site("健身房老板跑路")
    assert near.relaxed is True
    # The page sharing most bigrams (健身, 身房, 跑路) comes first.
    assert near.results[0].page.title == pages["runaway"].title


def test_unpublished_pages_leave_the_index(content):
    _sections, pages = content
    pages["returns"].unpublish()
    assert search_site("退货").total == 0
    assert not SearchDocument.objects.filter(page=pages["returns"]).exists()


def test_republishing_an_edit_updates_the_index(content):
    _sections, pages = content
    page = pages["prepaid"]
    page.body = paragraph("<p>办理储值卡时请签订书面合同。</p>")
    page.title = "办理储值卡要谨慎"
    page.intro = "储值卡办理提示"
    page.save_revision().publish()
    assert search_site("储值卡").total == 1
    assert search_site("预付卡").total == 0


def test_private_pages_are_never_returned(content):
    _sections, pages = content
    PageViewRestriction.objects.create(
        page=pages["elderly"], restriction_type=PageViewRestriction.PASSWORD, password="内部"
    )
    assert search_site("保健品").total == 0


def test_deleting_a_page_removes_its_document(content):
    _sections, pages = content
    pages["runaway"].delete()
    assert search_site("跑路").total == 0


def test_search_page_renders_results_in_chinese(client, content):
    response = client.get("/search/", {"q": "退货"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "双11网购消费提示" in html
    assert "<mark>退货</mark>" in html


def test_search_page_with_empty_and_odd_queries(client, content):
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"q": "'\" AND OR * NEAR("}).status_code == 200
    assert client.get("/search/", {"q": "退货", "page": "999"}).status_code == 200


def test_fulltext_index_uses_the_database_engine():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_searchdocument_fts'")
            assert "fts5" in cursor.fetchone()[0]
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_searchdocument_tsv'"
            )
            assert "gin" in cursor.fetchone()[0].lower()


def test_wagtail_admin_page_search_understands_chinese(client, content, django_user_model):
    _sections, pages = content
    admin = django_user_model.objects.create_superuser("admin", password="管理口令-123")
    client.force_login(admin)
    response = client.get("/admin/pages/search/", {"q": "跑路"})
    assert response.status_code == 200
    html = response.content.decode()
    assert pages["runaway"].title in html
    assert pages["returns"].title not in html
    assert (
        pages["prepaid"].title
        in client.get("/admin/pages/search/", {"q": "预付卡"}).content.decode()
    )
