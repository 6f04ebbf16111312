"""The import's insert thread owns the connection while a chunk is in flight: a query of the
importer's thread waits for the chunk, an insert's error comes back at the next query, and the
guard is gone once the inserter is closed."""

import sys
import time

import pytest
from django.db import DatabaseError, IntegrityError, connection

from disclosures.importing.background_insert import SWITCH_INTERVAL_SECONDS, BackgroundInserter

pytestmark = pytest.mark.django_db

INSERT_SECONDS = 0.3


@pytest.fixture
def table():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE inserted_rows (n integer NOT NULL)")
    return "inserted_rows"


@pytest.fixture
def slow_insert(monkeypatch):
    """Each chunk takes a while before it is written, as a large one does."""
    original = BackgroundInserter._insert_rows

    def slow(self, cursor, rows):
        time.sleep(INSERT_SECONDS)
        original(self, cursor, rows)

    monkeypatch.setattr(BackgroundInserter, "_insert_rows", slow)


def count(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def test_a_query_while_a_chunk_is_in_flight_waits_for_the_chunk(table, slow_insert):
    with BackgroundInserter(table, ["n"]) as inserter:
        inserter.submit([(1,), (2,), (3,)])
        assert inserter.in_flight
        started = time.monotonic()
        assert count(table) == 3
        assert time.monotonic() - started >= INSERT_SECONDS / 2
        assert not inserter.in_flight


def test_the_error_of_a_chunk_is_raised_by_the_next_query(table):
    with BackgroundInserter(table, ["n"]) as inserter:
        inserter.submit([(1,), (None,)])
        with pytest.raises(IntegrityError):
            count(table)


def test_closing_waits_for_the_last_chunk_and_removes_the_guard(table, slow_insert):
    wrappers_before = list(connection.execute_wrappers)
    with BackgroundInserter(table, ["n"]) as inserter:
        inserter.submit([(1,), (2,)])
        assert len(connection.execute_wrappers) == len(wrappers_before) + 1
    assert not inserter.in_flight
    assert connection.execute_wrappers == wrappers_before
    assert count(table) == 2


def test_work_left_for_an_idle_moment_runs_between_chunks(table, slow_insert):
    seen = []
    with BackgroundInserter(table, ["n"]) as inserter:
        inserter.when_idle(lambda: seen.append("at once"))  # nothing in flight yet
        inserter.submit([(1,)])
        inserter.when_idle(lambda: seen.append(("between", inserter.in_flight, count(table))))
        assert seen == ["at once"]
        inserter.submit([(2,)])
        assert seen == ["at once", ("between", False, 1)]
        inserter.when_idle(lambda: seen.append(("at the end", count(table))))
    assert seen[-1] == ("at the end", 2)


def test_a_query_on_the_insert_thread_comes_after_the_chunk_and_answers_when_asked(
    table, slow_insert
):
    mark = "?" if connection.vendor == "sqlite" else "%s"
    with BackgroundInserter(table, ["n"]) as inserter:
        inserter.submit([(1,), (2,), (3,)])
        answer = inserter.query(f"SELECT SUM(n) FROM {table} WHERE n > {mark}", [1])
        assert inserter.in_flight  # the query's turn, after the chunk's
        assert answer() == [(5,)]
        assert not inserter.in_flight


def test_the_error_of_a_query_on_the_insert_thread_is_raised_when_its_answer_is_asked(table):
    with BackgroundInserter(table, ["n"]) as inserter:
        answer = inserter.query("SELECT no_such_column FROM inserted_rows", [])
        with pytest.raises(DatabaseError):
            answer()
        assert not inserter.in_flight  # the connection is the importer's again


def test_work_on_the_insert_thread_follows_the_chunk_and_its_error_comes_back(table, slow_insert):
    """``run``: a re-import's updates on PostgreSQL, written while the next chunk is read."""
    with BackgroundInserter(table, ["n"]) as inserter:
        inserter.submit([(1,), (2,)])
        inserter.run(lambda cursor: cursor.execute(f"UPDATE {table} SET n = n * 10"))
        assert inserter.in_flight
        assert sorted(n for (n,) in fetch(f"SELECT n FROM {table}")) == [10, 20]
        inserter.run(lambda cursor: cursor.execute(f"UPDATE {table} SET n = NULL"))
        with pytest.raises(IntegrityError):
            count(table)
        assert not inserter.in_flight


def fetch(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_an_inserter_is_used_only_inside_its_with_block(table):
    inserter = BackgroundInserter(table, ["n"])
    with pytest.raises(RuntimeError):
        inserter.submit([(1,)])
    with inserter:
        inserter.submit([(1,)])
    with pytest.raises(RuntimeError):
        inserter.submit([(2,)])
    assert count(table) == 1


def test_the_insert_thread_gets_the_interpreter_lock_back_quickly_only_while_open(table):
    before = sys.getswitchinterval()
    with BackgroundInserter(table, ["n"]) as inserter:
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_SECONDS)
        assert SWITCH_INTERVAL_SECONDS < before
        inserter.submit([(1,), (2,)])
    # Python's own interval comes back, also when the last chunk failed.
    with pytest.raises(IntegrityError), BackgroundInserter(table, ["n"]) as inserter:
        inserter.submit([(None,)])
    assert sys.getswitchinterval() == before
