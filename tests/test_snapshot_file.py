"""The disclosure snapshot shared through files: the first process that needs a data version
writes its columns once, every other process maps them and reads no table; a change writes a
new folder, a damaged one is never used, two builders at once build once, and an import writes
the folder before it reports done. Answers and facet counts are those of the table."""

import io
import threading

import numpy as np
import pytest
from django.db import connection

from disclosures import snapshot, snapshot_file, statistics
from disclosures.engines.database import search
from disclosures.importing import import_disclosures
from disclosures.models import Disclosure, DisclosureDataVersion
from disclosures.search_query import DisclosureQuery

from .disclosure_factories import category, make_disclosure
from .merchant_factories import credit_code, make_merchant
from .test_disclosure_import import csv_bytes, furong_row, lugu_row

LUGU = credit_code("430104", serial=81002)
QUERIES = [
    DisclosureQuery(),
    DisclosureQuery(q="退货"),
    DisclosureQuery(q="预付卡", region="430100"),
    DisclosureQuery(q="麓谷优选"),
    DisclosureQuery(region="430102"),
    DisclosureQuery(q="退货", sort="relevance"),
]


@pytest.fixture
def files(settings, tmp_path, monkeypatch):
    """Snapshot files for a table of any size, in a work folder of this test's own."""
    settings.DISCLOSURE_SNAPSHOT_DIR = tmp_path / "work"
    monkeypatch.setattr(snapshot, "FILE_MIN_RECORDS", 0)
    snapshot.forget()
    yield tmp_path / "work"
    snapshot.forget()


def make_records():
    merchant = make_merchant(credit_code=LUGU)
    make_disclosure(
        summary="消费者反映网购外套与描述不符，商家拒绝七日无理由退货。",
        merchant=merchant,
        credit_code=LUGU,
    )
    make_disclosure(
        summary="健身房收取预付卡费用后关门跑路，剩余课程无法使用。",
        category="健身服务",
        problem_type="合同",
        result="调解不成功",
        region="430102",
        respondent_name="长沙市芙蓉区悦享健身俱乐部",
        respondent_address="湖南省长沙市芙蓉区五一大道389号",
    )
    make_disclosure(
        summary="鞋子穿了一周开胶，要求退货被拒。",
        region="430102",
        respondent_name="长沙市芙蓉区步步高鞋业商行",
        respondent_address="湖南省长沙市芙蓉区解放西路18号",
    )
    make_disclosure(
        summary="美容院办理预付卡后擅自变更服务项目。",
        category="美容美发洗浴",
        problem_type="合同",
        region="430202",
        respondent_name="株洲市荷塘区丽人美容院",
        respondent_address="湖南省株洲市荷塘区新华西路66号",
    )
    make_disclosure(
        summary="冰箱漏水，商家拒绝退货。",
        complaint_number="WITHDRAWN-0001",
        objection_state=Disclosure.ObjectionState.WITHDRAWN,
    )


def answers():
    """What a reader sees for each query: the total, the page's records and every facet."""
    seen = []
    for query in QUERIES:
        found = search(query)
        facets = {name: [(f.value, f.count) for f in found.facets[name]] for name in found.facets}
        seen.append((found.total, found.ids, facets))
    return seen


def folders(work):
    return sorted(path.name for path in work.glob("snapshot-*"))


@pytest.mark.django_db
def test_a_second_process_maps_the_folder_and_reads_no_table(files, django_assert_num_queries):
    make_records()
    first = answers()
    assert folders(files) == [snapshot_file.folder(DisclosureDataVersion.current()).name]

    snapshot.forget()  # a new worker: nothing in its memory
    with django_assert_num_queries(1):  # the data version's token, nothing else
        loaded = snapshot.current()
    assert not loaded.ids.flags.writeable  # the mapped, shared pages
    assert answers() == first
    assert first[1][0] == 2  # 退货: the withdrawn record is not among them


@pytest.mark.django_db
def test_the_folder_answers_as_the_table_does(files, monkeypatch):
    make_records()
    monkeypatch.setattr(snapshot, "FILE_MIN_RECORDS", 10**9)
    from_table = answers()
    figures_from_table = statistics.compute()
    assert not folders(files)

    snapshot.forget()
    monkeypatch.setattr(snapshot, "FILE_MIN_RECORDS", 0)
    snapshot.current()  # writes the folder
    snapshot.forget()
    assert answers() == from_table
    assert statistics.compute() == figures_from_table
    assert figures_from_table.total == 4


@pytest.mark.django_db
def test_a_change_writes_a_new_folder_and_the_newest_two_stay(files):
    make_records()
    snapshot.current()
    first = snapshot_file.folder(DisclosureDataVersion.current()).name

    make_disclosure(
        summary="培训机构办理预付卡后关门跑路。",
        category="教育培训",
        problem_type="合同",
        result="终止调解",
        region="430211",
        respondent_name="株洲市天元区启航教育培训学校",
    )
    assert search(DisclosureQuery(q="跑路")).total == 2
    second = snapshot_file.folder(DisclosureDataVersion.current()).name
    assert folders(files) == sorted([first, second])

    Disclosure.objects.filter(complaint_number="WITHDRAWN-0001").update(
        objection_state=Disclosure.ObjectionState.NONE
    )
    DisclosureDataVersion.bump()  # as the objection desk's withdrawal undone would
    assert search(DisclosureQuery(q="冰箱")).total == 1
    third = snapshot_file.folder(DisclosureDataVersion.current()).name
    assert folders(files) == sorted([second, third])


def _truncate(path):
    data = (path / "hidden.npy").read_bytes()
    (path / "hidden.npy").write_bytes(data[:-2])


def _flip_a_byte(path):
    # Every row, the withdrawn record's too, shown as public, were the file believed.
    rows = len(np.load(path / "hidden.npy"))
    data = bytearray((path / "hidden.npy").read_bytes())
    data[-rows:] = bytes(rows)
    (path / "hidden.npy").write_bytes(bytes(data))


def _remove_a_column(path):
    (path / "category.npy").unlink()


def _garble_the_description(path):
    (path / "meta.json").write_text("{不是JSON")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "damage", [_truncate, _flip_a_byte, _remove_a_column, _garble_the_description]
)
def test_a_damaged_folder_is_never_used(files, damage, django_assert_max_num_queries):
    make_records()
    expected = answers()
    token = DisclosureDataVersion.current()
    damage(snapshot_file.folder(token))
    assert snapshot_file.read(token) is None

    snapshot.forget()
    assert answers() == expected
    # Read from the table again, and written afresh for the next worker.
    assert snapshot_file.read(token) is not None
    snapshot.forget()
    with django_assert_max_num_queries(1):
        snapshot.current()


@pytest.mark.django_db
def test_a_work_folder_that_cannot_be_written_costs_a_build_not_a_search(files, settings):
    make_records()
    expected = answers()
    snapshot.forget()
    blocker = files.parent / "a-file"
    blocker.write_text("占位")
    settings.DISCLOSURE_SNAPSHOT_DIR = blocker / "work"
    assert answers() == expected


@pytest.mark.django_db(transaction=True)
def test_two_builders_at_once_read_the_table_once(files, monkeypatch, reference_data):
    make_records()
    token = DisclosureDataVersion.current()
    reads = []
    read_table = snapshot._read_table

    def slow_read(low, high):
        reads.append(threading.get_ident())
        threading.Event().wait(0.5)  # long enough for the other builder to ask meanwhile
        return read_table(low, high)

    monkeypatch.setattr(snapshot, "_read_table", slow_read)
    start = threading.Barrier(2)
    loaded = []

    def worker():
        try:
            start.wait()
            loaded.append(snapshot._load(token))  # each thread has its own connection
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(reads) == 1
    assert len(loaded) == 2
    assert np.array_equal(loaded[0].ids, loaded[1].ids)
    assert all(not each.hidden.flags.writeable for each in loaded)


@pytest.mark.django_db
def test_an_import_writes_the_folder_before_it_reports_done(files, django_assert_num_queries):
    make_merchant(credit_code=lugu_row()["统一社会信用代码"])
    report = import_disclosures(
        io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="投诉公示.csv"
    )
    assert report.created == 2
    token = DisclosureDataVersion.current()
    assert snapshot_file.read(token) is not None
    # Written for the workers; the importing process does not map them itself.
    assert not snapshot.loaded()

    snapshot.forget()  # a worker that has not searched since
    with django_assert_num_queries(1):
        snapshot.current()
    found = search(DisclosureQuery(q="电饭煲"))
    assert found.total == 1
    assert [(f.value, f.count) for f in found.facets["category"]] == [
        (str(category("家用电器").pk), 1)
    ]


@pytest.mark.django_db
def test_with_elasticsearch_the_warm_up_writes_no_folder(files, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    snapshot.warm()
    assert not folders(files)
    assert not snapshot.loaded()


@pytest.mark.django_db
def test_a_small_table_is_read_into_each_process_without_files(files, monkeypatch):
    monkeypatch.setattr(snapshot, "FILE_MIN_RECORDS", 1000)
    make_records()
    assert search(DisclosureQuery(q="退货")).total == 2
    assert not folders(files)


@pytest.mark.parametrize("read_in_id_order", [True, False])
def test_rows_are_ordered_newest_complaint_first_then_newest_id(read_in_id_order):
    rng = np.random.default_rng(20260315)
    ids = np.arange(1, 5001, dtype=np.int64) * 3  # gaps, as deleted records leave
    if not read_in_id_order:
        ids = rng.permutation(ids)
    # Many records share a complaint day; days before 1970 too (negative day numbers).
    complained = rng.integers(-400, 40, size=len(ids)).astype(np.int32)
    expected = np.lexsort((-ids, -complained))

    order = snapshot._newest_first(ids, complained)

    assert ids[order].tolist() == ids[expected].tolist()
    assert complained[order].tolist() == sorted(complained.tolist(), reverse=True)


@pytest.mark.parametrize(
    "codes",
    [
        [430104, 430102, 430104, 430111, 110101, 430102, 0, 999_999],
        [430104, 1_000_000, 430104],  # no six-digit code: as np.unique has it
        [],
    ],
)
def test_each_rows_region_is_an_index_into_the_distinct_codes_as_np_unique_gives(codes):
    region_codes = np.array(codes, dtype=np.int32)
    expected_codes, expected_index = np.unique(region_codes, return_inverse=True)

    distinct, index = snapshot._distinct_regions(region_codes)

    assert distinct.tolist() == expected_codes.tolist()
    assert index.tolist() == expected_index.tolist()


@pytest.mark.django_db
def test_warming_writes_a_version_once_and_maps_nothing(files, monkeypatch):
    make_records()
    snapshot.warm()
    assert len(folders(files)) == 1 and not snapshot.loaded()

    def no_second_build(*args):
        raise AssertionError("the folder of this version is already written")

    monkeypatch.setattr(snapshot, "_build", no_second_build)
    snapshot.warm()  # a second import that changed nothing, or a worker's own warm-up

    assert len(folders(files)) == 1 and not snapshot.loaded()
    assert search(DisclosureQuery(q="预付卡")).total == 2  # mapped from the folder, not built
