"""The keyword index follows every change to a record: an edit, a withdrawal and its undoing,
a delete, a re-import, the test database's flush. On PostgreSQL the search vectors live in a
side table of their own (migration 0011), kept in step by triggers as SQLite's FTS5 table is;
these tests search as a reader does on both databases and, on PostgreSQL, also read the side
table, so that a vector left behind or missing shows.
"""

import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from disclosures.engines.database import INDEX, search
from disclosures.importing import import_disclosures, updates
from disclosures.models import Disclosure
from disclosures.search_query import DisclosureQuery
from search.text_analysis import index_text
from search.token_index import recompute_operation

from .disclosure_factories import make_disclosure
from .test_disclosure_import import csv_bytes, lugu_row

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def found(q):
    results = search(DisclosureQuery(q=q, per_page=100))
    return set(
        Disclosure.objects.filter(pk__in=results.ids).values_list("complaint_number", flat=True)
    )


def vectors():
    """PostgreSQL: {record id: the side table's vector as text}; elsewhere None."""
    if not POSTGRES:
        return None
    side, key = INDEX.vector_source
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, {INDEX.vector_column}::text FROM {side}")
        return dict(cursor.fetchall())


def assert_vectors_match_records():
    """Every record has exactly one vector, that of its current tokens."""
    if not POSTGRES:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, to_tsvector('simple'::regconfig, search_tokens)::text "
            "FROM disclosures_disclosure"
        )
        expected = dict(cursor.fetchall())
    assert vectors() == expected


@pytest.fixture
def massage_shop():
    return make_disclosure(
        summary="办理足浴会员卡充值三千元，门店装修后拒绝使用原卡。",
        consumer_request="退还卡内余额",
        respondent_name="长沙市开福区舒心足浴店",
        respondent_address="湖南省长沙市开福区湘江中路二段36号",
        handling_department="长沙市开福区市场监督管理局",
        region="430105",
    )


def test_a_new_record_is_found_by_its_own_words(massage_shop):
    assert found("足浴会员卡") == {massage_shop.complaint_number}
    assert found("湘江中路") == {massage_shop.complaint_number}
    assert_vectors_match_records()


def test_an_edited_record_is_found_by_its_new_words_not_its_old(massage_shop):
    massage_shop.summary = "购买的理疗仪使用一周后无法开机，门店拒绝维修。"
    massage_shop.save()
    assert found("理疗仪") == {massage_shop.complaint_number}
    assert found("足浴会员卡") == set()
    assert_vectors_match_records()


def test_a_withdrawn_record_leaves_the_results_and_comes_back_when_restored(massage_shop):
    before = vectors()
    massage_shop.objection_state = Disclosure.ObjectionState.WITHDRAWN
    massage_shop.save()
    assert found("足浴会员卡") == set()
    # Its vector stays (the text did not change): restoring it needs no reindexing.
    assert vectors() == before
    massage_shop.objection_state = Disclosure.ObjectionState.NONE
    massage_shop.save()
    assert found("足浴会员卡") == {massage_shop.complaint_number}
    assert_vectors_match_records()


def test_a_deleted_record_takes_its_vector_with_it(massage_shop):
    neighbour = make_disclosure(
        summary="足浴店办卡后更换老板，新店主不认旧卡。",
        respondent_name="长沙市开福区悠然足浴馆",
        region="430105",
    )
    assert found("足浴") == {massage_shop.complaint_number, neighbour.complaint_number}
    Disclosure.objects.filter(pk=massage_shop.pk).delete()
    assert found("足浴") == {neighbour.complaint_number}
    assert_vectors_match_records()
    Disclosure.objects.all().delete()
    assert found("足浴") == set()
    assert vectors() in ({}, None)


def test_an_import_and_a_changed_reimport_keep_the_index_in_step():
    import_disclosures(io.BytesIO(csv_bytes([lugu_row()])), file_name="湖南岳麓.csv")
    assert found("麓谷大道") == {"TS430104202601050001"}
    assert_vectors_match_records()
    changed = lugu_row(被投诉人地址="湖南省长沙市岳麓区桐梓坡路88号")
    import_disclosures(io.BytesIO(csv_bytes([changed])), file_name="湖南岳麓（更正）.csv")
    assert found("桐梓坡路") == {"TS430104202601050001"}
    assert found("麓谷大道") == set()
    assert_vectors_match_records()


def test_records_inserted_chunk_by_chunk_each_get_their_vector(monkeypatch):
    """An import inserts a chunk at a time (on PostgreSQL one ``COPY`` each), and the side
    table takes each statement's new rows at once: every record of every chunk is found by its
    own words, and no vector is missing or doubled."""
    import disclosures.importing

    monkeypatch.setattr(disclosures.importing, "CHUNK_ROWS", 4)  # three chunks
    summaries = ["电动车电池鼓包", "空调外机漏水", "健身卡闭店", "婚纱照底片丢失", "手机屏幕碎裂"]
    rows = [
        lugu_row(
            投诉编号=f"TS4301042026{n:08d}", 投诉内容摘要=f"{summaries[n % 5]}，商家拒绝处理。"
        )
        for n in range(10)
    ]
    assert import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="岳麓区二月.csv").created == 10
    assert found("婚纱照") == {"TS430104202600000003", "TS430104202600000008"}
    assert found("电池鼓包") == {"TS430104202600000000", "TS430104202600000005"}
    assert_vectors_match_records()


@pytest.mark.skipif(not POSTGRES, reason="the side table is PostgreSQL's")
def test_remaking_the_side_tables_triggers_keeps_the_index_in_step(massage_shop):
    """0015 replaces the function and triggers of a database that has them: records already
    indexed stay found, and a new record, an edit and a delete after it reach the index."""
    migration = __import__(
        "disclosures.migrations.0015_side_vectors_per_statement", fromlist=["Migration"]
    )
    (operation,) = migration.Migration.operations
    with connection.schema_editor() as editor:
        operation.code(apps, editor)
    assert found("足浴会员卡") == {massage_shop.complaint_number}
    nail_salon = make_disclosure(summary="美甲店办卡后闭店，余额无法退还。", region="430105")
    massage_shop.summary = "理疗仪使用一周后无法开机。"
    massage_shop.save()
    assert found("美甲店") == {nail_salon.complaint_number}
    assert found("理疗仪") == {massage_shop.complaint_number}
    assert found("足浴会员卡") == set()
    assert_vectors_match_records()
    nail_salon.delete()
    assert found("美甲店") == set()
    assert_vectors_match_records()


def test_revised_records_written_many_a_statement_keep_the_index_in_step(monkeypatch):
    """On SQLite the records with new text go in statements of several rows each
    (``updates.ROWS_PER_STATEMENT``): every one's old words are gone from the index, its new
    ones found, and the records whose result alone changed keep theirs."""
    monkeypatch.setattr(updates, "ROWS_PER_STATEMENT", 2)
    numbers = [f"TS4301042026{n:08d}" for n in range(5)]
    rows = [lugu_row(投诉编号=number) for number in numbers]
    import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="岳麓区一月.csv")
    new_text = "购买的电压力锅内胆涂层脱落，商家拒绝更换。"
    revised = [lugu_row(投诉编号=number, 投诉内容摘要=new_text) for number in numbers[:3]]
    revised += [lugu_row(投诉编号=number, 处理结果="调解不成功") for number in numbers[3:]]

    report = import_disclosures(io.BytesIO(csv_bytes(revised)), file_name="岳麓区一月（更正）.csv")

    assert report.updated == 5
    assert found("电压力锅") == set(numbers[:3])
    assert found("电饭煲") == set(numbers[3:])
    assert_vectors_match_records()
    if not POSTGRES:
        fts = INDEX.fts_table
        with connection.cursor() as cursor:  # raises if the index and the table disagree
            cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")


@pytest.mark.skipif(not POSTGRES, reason="the side table is PostgreSQL's")
def test_the_migration_moves_existing_vectors_and_back(massage_shop):
    """0011 on a database that already holds records: their vectors are copied into the side
    table (and back into the record's row on reverse), the search finding the same records."""
    migration = __import__(
        "disclosures.migrations.0011_search_vectors_in_side_table", fromlist=["Migration"]
    )
    (operation,) = migration.Migration.operations
    with connection.schema_editor() as editor:
        operation.reverse_code(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('disclosures_disclosuresearch')")
        assert cursor.fetchone()[0] is None
        # Reversed: the vector is back in the record's own row, and matches there.
        cursor.execute(
            "SELECT complaint_number FROM disclosures_disclosure "
            "WHERE search_tokens_tsv @@ to_tsquery('simple', '足浴 <-> 浴会')"
        )
        assert cursor.fetchall() == [(massage_shop.complaint_number,)]
    with connection.schema_editor() as editor:
        operation.code(apps, editor)
    assert found("足浴会员卡") == {massage_shop.complaint_number}
    assert_vectors_match_records()
    # The triggers are back: an edit after the move reaches the index.
    massage_shop.summary = "美甲店办卡后闭店，余额无法退还。"
    massage_shop.save()
    assert found("美甲店") == {massage_shop.complaint_number}
    assert_vectors_match_records()


def test_recomputing_the_tokens_refills_the_index(massage_shop):
    """A later migration that changes what the tokens cover (``recompute_operation`` given the
    engine's index) leaves every record's vector that of its new tokens, and edits after it
    still reach the index."""
    operation = recompute_operation(
        "disclosures_disclosure", "search_tokens", ("summary",), index_text, index=INDEX
    )
    operation.code(apps, SimpleNamespace(connection=connection))
    # The tokens now cover the summary alone: the request is gone from them.
    assert found("卡内余额") == set()  # the request's words
    assert found("足浴会员卡") == {massage_shop.complaint_number}
    assert_vectors_match_records()
    massage_shop.save()  # a save tokenises every searched field again
    assert found("卡内余额") == {massage_shop.complaint_number}
    assert_vectors_match_records()
