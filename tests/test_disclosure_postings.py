"""A common term's matching rows are kept per data version (``engines.postings``): the search
answers exactly as it does when looking the term up, and any change to the data is seen at once.

The threshold is lowered so that the test's few records count as a common term.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosures.engines import postings
from disclosures.engines.database import search
from disclosures.models import Disclosure
from disclosures.search_query import DisclosureQuery

from .disclosure_factories import make_disclosure

pytestmark = pytest.mark.django_db

SUMMARIES = [
    "消费者反映网购外套与描述不符，商家拒绝七日无理由退货。",
    "鞋子穿了一周开胶，要求退货被拒。",
    "健身房收取预付卡费用后关门跑路，剩余课程无法使用。",
    "冰箱使用三个月出现故障，商家同意退货退款。",
]


@pytest.fixture
def kept_from_two_matches(monkeypatch):
    monkeypatch.setattr(postings, "MIN_KEPT_MATCHES", 2)
    postings.forget()
    yield
    postings.forget()


@pytest.fixture
def records():
    return [make_disclosure(summary=summary) for summary in SUMMARIES]


def full_text_lookups(queries):
    return [q for q in queries.captured_queries if "_fts" in q["sql"] or "@@" in q["sql"]]


def answer(query):
    found = search(query)
    return found.total, found.ids, found.facets


def test_a_kept_term_answers_as_the_index_does(kept_from_two_matches, records):
    query = DisclosureQuery(q="退货")
    first = answer(query)
    with CaptureQueriesContext(connection) as queries:
        again = answer(query)
    assert again == first
    assert first[0] == 3
    # The second search read the term's rows from memory, not from the full-text index.
    assert full_text_lookups(queries) == []


def test_a_rare_term_is_looked_up_each_time(kept_from_two_matches, records):
    query = DisclosureQuery(q="跑路")
    assert search(query).total == 1
    with CaptureQueriesContext(connection) as queries:
        assert search(query).total == 1
    assert len(full_text_lookups(queries)) == 1


def test_an_edit_is_found_by_the_next_search(kept_from_two_matches, records):
    query = DisclosureQuery(q="退货")
    assert search(query).total == 3
    changed = records[2]
    changed.summary = "预付卡商家跑路，要求退货退费。"
    changed.save()
    assert search(query).total == 4
    Disclosure.objects.get(pk=records[0].pk).delete()
    found = search(query)
    assert found.total == 3
    assert records[0].pk not in found.ids


def test_terms_combine_as_all_must_match(kept_from_two_matches, records):
    # 退货 is kept; 商家 too; both must match, as in one look-up of the index.
    both = search(DisclosureQuery(q="退货 商家"))
    assert sorted(both.ids) == sorted([records[0].pk, records[3].pk])
    assert search(DisclosureQuery(q="商家 退货")).ids == both.ids


def test_the_kept_rows_are_bounded_by_bytes(kept_from_two_matches, records, monkeypatch):
    # Room for one term's rows (four records: one byte).
    monkeypatch.setattr(postings, "KEPT_BYTES", 1)
    for word in ("退货", "商家", "要求"):
        search(DisclosureQuery(q=word))
    with CaptureQueriesContext(connection) as last:
        search(DisclosureQuery(q="要求"))
    with CaptureQueriesContext(connection) as oldest:
        search(DisclosureQuery(q="退货"))
    assert full_text_lookups(last) == []
    assert len(full_text_lookups(oldest)) == 1
