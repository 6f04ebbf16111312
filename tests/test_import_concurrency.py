"""An import shares the site: other writers get in between its chunks, nothing is public before
it is finished, a second import is refused, and a killed one is put right by the next."""

import io
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from django.conf import settings
from django.db import connection

from common.sqlite.base import waiting_beacon
from disclosures.engines.database import search
from disclosures.importing import (
    CHUNK_ROWS,
    background_insert,
    deferred_indexes,
    exclusive,
    import_disclosures,
    recover_interrupted_imports,
    staged,
    updates,
    writer,
)
from disclosures.models import Disclosure, ImportBatch, RespondentAddress
from disclosures.search_query import DisclosureQuery
from merchants import scan_counter
from merchants.models import ScanCount

from .merchant_factories import make_merchant
from .test_disclosure_import import csv_bytes, lugu_row

ROWS = 2 * CHUNK_ROWS + 2000  # two chunks and a part


# Every test here commits for real, as imports and other processes do.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data_first(reference_data):
    """Every test here needs the reference data back (``conftest.reference_data``)."""


def many_rows(count=ROWS, **changes):
    return [lugu_row(投诉编号=f"TS4301042026{n:08d}", **changes) for n in range(count)]


def other_connection(timeout=0.5):
    """A second SQLite connection to the test database, as another web process would have."""
    return sqlite3.connect(connection.settings_dict["NAME"], timeout=timeout)


def secondary_indexes_seen_by_another_process():
    """{name: definition} of the disclosure table's non-unique indexes, as another connection
    sees them (what is committed)."""
    other = other_connection()
    try:
        return dict(
            other.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = 'disclosures_disclosure' AND sql LIKE 'CREATE INDEX %'"
            ).fetchall()
        )
    finally:
        other.close()


def kept_in_step(indexes):
    """Those of ``indexes`` a first load keeps in step: the scan page's, by credit code."""
    return {name: sql for name, sql in indexes.items() if '"credit_code"' in sql}


def import_watching_indexes(file_name):
    """Import ``ROWS`` rows; (report, the indexes another process saw between chunks)."""
    seen = []
    report = import_disclosures(
        io.BytesIO(csv_bytes(many_rows())),
        file_name=file_name,
        progress=lambda phase, rows: seen.append(secondary_indexes_seen_by_another_process()),
    )
    return report, seen


def plan_of_a_merchant_lookup():
    other = other_connection()
    try:
        steps = other.execute(
            "EXPLAIN QUERY PLAN SELECT summary FROM disclosures_disclosure WHERE credit_code = ?",
            ["91430104MA4L0XXXXX"],
        ).fetchall()
    finally:
        other.close()
    return " ".join(step[-1] for step in steps)


sqlite_only = pytest.mark.skipif(
    "os.environ.get('DATABASE_URL', '').startswith('postgres')",
    reason="SQLite's single writer: PostgreSQL imports stay one transaction and block nobody",
)


@sqlite_only
def test_other_writers_get_in_between_chunks_and_see_nothing_public_before_the_end():
    seen = []

    def between_chunks(phase, rows):
        other = other_connection()
        try:
            # A write with a half-second busy timeout: the old single transaction held the
            # lock for the whole file and this failed with "database is locked".
            other.execute("UPDATE django_session SET expire_date = expire_date")
            other.commit()
            written = other.execute("SELECT count(*) FROM disclosures_disclosure").fetchone()[0]
            public = other.execute(
                "SELECT count(*) FROM disclosures_disclosure WHERE pending = 0"
            ).fetchone()[0]
        finally:
            other.close()
        seen.append((rows, written, public))

    report = import_disclosures(
        io.BytesIO(csv_bytes(many_rows())), file_name="十二月公示.csv", progress=between_chunks
    )

    assert report.created == ROWS and not report.refused
    assert [rows for rows, _written, _public in seen] == [CHUNK_ROWS, 2 * CHUNK_ROWS]
    assert seen[-1][1] >= CHUNK_ROWS  # chunks were committed while the file was still being read...
    assert all(public == 0 for _rows, _written, public in seen)  # ...and none was public
    assert Disclosure.objects.public().count() == ROWS
    assert search(DisclosureQuery(q="电饭煲")).total == ROWS


@sqlite_only
def test_a_file_refused_after_committed_chunks_leaves_nothing_and_updates_nothing():
    import_disclosures(io.BytesIO(csv_bytes([lugu_row()])), file_name="一月.csv")
    rows = [lugu_row(投诉内容摘要="购买的电压力锅漏气,要求维修被拒绝。"), *many_rows()]
    rows.append(lugu_row(投诉编号="TS999999", 处理结果="已办结"))

    report = import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="有错.csv")

    assert report.refused
    assert Disclosure.objects.count() == 1
    assert "电饭煲" in Disclosure.objects.get().summary  # the update was never applied
    assert not Disclosure.objects.filter(pending=True).exists()


def test_a_second_import_at_the_same_time_is_refused_with_a_message():
    started, release = threading.Event(), threading.Event()
    results = {}

    def hold_between_chunks(phase, rows):
        started.set()
        release.wait(30)

    def first_import():
        try:
            results["first"] = import_disclosures(
                io.BytesIO(csv_bytes(many_rows(CHUNK_ROWS + 1000))),
                file_name="第一批.csv",
                progress=hold_between_chunks,
            )
        finally:
            connection.close()

    thread = threading.Thread(target=first_import)
    thread.start()
    try:
        assert started.wait(30)
        second = import_disclosures(
            io.BytesIO(csv_bytes([lugu_row(投诉编号="TS2")])), file_name="第二批.csv"
        )
    finally:
        release.set()
        thread.join(60)

    assert second.refused
    assert "另一个公示导入正在进行（第一批.csv，" in second.error_lines()[0]
    batch = ImportBatch.objects.get(file_name="第二批.csv")
    assert batch.status == ImportBatch.Status.REFUSED
    assert results["first"].created == CHUNK_ROWS + 1000
    assert not Disclosure.objects.filter(complaint_number="TS2").exists()


@sqlite_only
def test_a_first_load_builds_its_indexes_once_every_row_has_passed():
    indexes = secondary_indexes_seen_by_another_process()
    assert {"disclosure_date_idx", "disclosure_merchant_idx"} <= set(indexes)

    report, seen_while_writing = import_watching_indexes("首次导入.csv")

    assert report.created == ROWS
    # Only the scan page's index was kept in step row by row...
    assert kept_in_step(indexes) and seen_while_writing == [kept_in_step(indexes)] * 2
    assert secondary_indexes_seen_by_another_process() == indexes  # ...the others built again
    assert "INDEX disclosures_disclosure_credit_code" in plan_of_a_merchant_lookup()
    code = lugu_row()["统一社会信用代码"]
    assert Disclosure.objects.public().filter(credit_code=code).count() == ROWS
    assert not exclusive.state_path().exists()


@sqlite_only
def test_an_import_into_a_table_with_records_keeps_its_indexes_while_it_writes():
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(投诉编号="TS1")])), file_name="一月.csv")
    indexes = secondary_indexes_seen_by_another_process()

    report, seen_while_writing = import_watching_indexes("二月.csv")

    assert report.created == ROWS
    assert seen_while_writing == [indexes, indexes]  # the site's look-ups stay fast meanwhile


@sqlite_only
def test_a_refused_first_load_leaves_the_table_empty_with_its_indexes():
    indexes = secondary_indexes_seen_by_another_process()
    rows = [*many_rows(), lugu_row(投诉编号="TS999999", 投诉日期="2026年13月1日")]

    report = import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="有错.csv")

    assert report.refused
    assert not Disclosure.objects.exists()
    assert secondary_indexes_seen_by_another_process() == indexes


@sqlite_only
def test_a_first_load_killed_while_publishing_is_published_with_its_indexes():
    """Every row had passed: the next import finishes the publication, indexes first."""
    indexes = secondary_indexes_seen_by_another_process()
    import_disclosures(io.BytesIO(csv_bytes(many_rows(5))), file_name="十一月.csv")
    Disclosure.objects.update(pending=True)  # as the killed import left its rows
    batch = ImportBatch.objects.create(file_name="断电.csv")
    state = exclusive.ImportState(
        batch_id=batch.pk, phase="publishing", deferred_indexes=deferred_indexes.secondary_indexes()
    )
    exclusive.save_state(state)
    deferred_indexes.drop(state.deferred_indexes)
    assert secondary_indexes_seen_by_another_process() == kept_in_step(indexes)

    assert recover_interrupted_imports()

    assert secondary_indexes_seen_by_another_process() == indexes
    assert Disclosure.objects.public().count() == 5
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.IMPORTED


KILLED_IMPORT = textwrap.dedent(
    """
    import io, os, sys
    import django
    django.setup()
    from django.db import connection
    from disclosures.importing import CHUNK_ROWS, import_disclosures
    sys.path.insert(0, os.getcwd())
    from tests.test_disclosure_import import csv_bytes
    from tests.test_import_concurrency import many_rows

    def stop(phase, rows):
        if rows == 2 * CHUNK_ROWS:
            print("written", flush=True)
            os.kill(os.getpid(), 9)

    import_disclosures(io.BytesIO(csv_bytes(many_rows())), file_name="断电.csv", progress=stop)
    """
)


@sqlite_only
def test_an_import_killed_midway_is_undone_by_the_next_one():
    make_merchant(credit_code=lugu_row()["统一社会信用代码"])
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL="sqlite:///" + str(connection.settings_dict["NAME"]),
        IMPORT_WORK_DIR=str(settings.IMPORT_WORK_DIR),
    )
    done = subprocess.run(
        [sys.executable, "-c", KILLED_IMPORT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert Disclosure.objects.count() >= CHUNK_ROWS  # committed chunks are there, pending
    indexes = secondary_indexes_seen_by_another_process()
    assert indexes == kept_in_step(indexes)  # a first load: the others are built at the end
    assert Disclosure.objects.public().count() == 0
    assert search(DisclosureQuery(q="电饭煲")).total == 0
    assert RespondentAddress.objects.exists()  # committed with the chunks

    assert recover_interrupted_imports()

    assert Disclosure.objects.count() == 0
    assert {"disclosure_date_idx", "disclosure_merchant_idx"} <= set(
        secondary_indexes_seen_by_another_process()
    )
    assert not RespondentAddress.objects.exists()  # nothing names it any more
    batch = ImportBatch.objects.get(file_name="断电.csv")
    assert batch.status == ImportBatch.Status.FAILED
    assert "意外中断" in batch.errors[0]["reason"]
    report = import_disclosures(io.BytesIO(csv_bytes(many_rows(10))), file_name="重新导入.csv")
    assert report.created == 10 and Disclosure.objects.public().count() == 10


def test_scan_counts_are_written_by_a_thread_not_in_the_request(settings):
    settings.MERCHANT_SCAN_FLUSH_IN_BACKGROUND = True
    settings.MERCHANT_SCAN_FLUSH_SECONDS = 1
    merchant = make_merchant()
    scan_counter.reset()

    scan_counter.record(merchant.pk)  # what the scan page does for each scan
    assert not ScanCount.objects.exists()  # nothing written while the page is served

    deadline = time.monotonic() + 10
    while not ScanCount.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ScanCount.objects.get().count == 1


@sqlite_only
def test_a_writer_gets_in_between_the_transactions_of_a_busy_neighbour():
    """Another process commits a transaction every 50 ms and starts the next after 3 ms, as an
    import does: a write of the site waits for a gap and gets in while the neighbour goes on,
    where SQLite's own busy handler, sleeping up to 100 ms between tries, kept missing them."""
    written = threading.Event()
    neighbour_done = threading.Event()

    def busy_neighbour():
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        deadline = time.monotonic() + 5
        try:
            while not written.is_set() and time.monotonic() < deadline:
                other.execute("BEGIN IMMEDIATE")
                time.sleep(0.05)
                other.execute("COMMIT")
                time.sleep(0.003)
        finally:
            other.close()
            neighbour_done.set()

    thread = threading.Thread(target=busy_neighbour)
    thread.start()
    try:
        time.sleep(0.1)
        make_merchant()  # a few writes, each waiting for a gap
        written.set()
        assert not neighbour_done.is_set()  # it got in while the neighbour was still busy
    finally:
        written.set()
        thread.join(15)


@sqlite_only
@pytest.mark.parametrize(
    ("hold_seconds", "writer_waits", "transactions"),
    [(60, False, 1), (0, False, 3), (60, True, 2)],
    ids=["nobody waits: one", "hold over after each statement", "a writer waits: ends"],
)
def test_revised_records_are_published_in_transactions_that_let_a_waiting_writer_in(
    monkeypatch, hold_seconds, writer_waits, transactions
):
    count = 2500  # three statements of the updates
    import_disclosures(io.BytesIO(csv_bytes(many_rows(count))), file_name="十一月.csv")
    monkeypatch.setattr(staged, "UPDATES_PER_STATEMENT", 1000)
    monkeypatch.setattr(background_insert, "MAX_HOLD_SECONDS", hold_seconds)
    commits = []
    monkeypatch.setattr(staged, "_pause", lambda: commits.append(time.monotonic()))
    written = updates.write

    def write(*args):
        written(*args)
        if writer_waits and not commits:
            time.sleep(0.02)  # file times move in clock ticks
            waiting_beacon(connection.settings_dict["NAME"]).touch()

    monkeypatch.setattr(updates, "write", write)

    report = import_disclosures(
        io.BytesIO(csv_bytes(many_rows(count, 处理结果="调解不成功"))),
        file_name="十一月（更正）.csv",
    )

    assert report.updated == count
    assert len(commits) == transactions
    assert Disclosure.objects.public().filter(result__name="调解不成功").count() == count


@sqlite_only
def test_updates_spooled_as_the_previous_release_did_are_published(monkeypatch):
    """A killed import's spool may hold ``(with tokens, rows)`` of every updated field, as the
    release before the fields were chosen per record wrote it: it is published as before."""
    import_disclosures(io.BytesIO(csv_bytes(many_rows(3))), file_name="十一月.csv")
    every_field = ((), writer.UPDATED_FIELDS)  # no field left out of any record's update
    monkeypatch.setattr(writer.ChunkWriter, "_update_fields", lambda self: every_field)
    append = staged.Spool.append

    def append_as_before(self, records):
        fields, with_tokens, rows = records
        assert fields == writer.UPDATED_FIELDS
        append(self, (with_tokens, rows))

    monkeypatch.setattr(staged.Spool, "append", append_as_before)
    revised = many_rows(2, 处理结果="调解不成功") + many_rows(3)[2:]
    revised[0]["投诉内容摘要"] = "购买的电压力锅内胆涂层脱落，商家拒绝更换。"

    report = import_disclosures(io.BytesIO(csv_bytes(revised)), file_name="十一月（更正）.csv")

    assert (report.updated, report.unchanged) == (2, 1)
    public = Disclosure.objects.public()
    assert public.filter(result__name="调解不成功").count() == 2
    assert search(DisclosureQuery(q="电压力锅")).total == 1
    assert search(DisclosureQuery(q="电饭煲")).total == 2
