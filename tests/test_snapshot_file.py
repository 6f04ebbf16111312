"""The disclosure snapshot shared through files: the first process that needs a data version
writes its columns once, every other process maps them and reads no table; a change writes a
new folder, a damaged one is never used, two builders at once build once, and an import writes
the folder before it reports done. Answers and facet counts are those of the table."""

import io
import threading
import weakref

import numpy as np
import pytest
from django.db import connection

from disclosures import importing, snapshot, snapshot_file, statistics
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


def assert_folder_is_the_tables(token, build=snapshot._build):
    """The folder of ``token`` holds what reading the whole table gives, column for column."""
    columns, extra = snapshot_file.read(token)
    full = build(token, *snapshot._id_range())
    for name in snapshot.COLUMNS:
        assert np.array_equal(columns[name], getattr(full, name)), name
        assert columns[name].dtype == getattr(full, name).dtype, name
    assert extra == {name: getattr(full, name) for name in snapshot.CODE_LISTS}


@pytest.mark.django_db
def test_a_revising_import_patches_the_last_versions_folder(files, monkeypatch):
    """An import that moves one record to another county and day, closes another differently
    and adds a third: its version's folder is the last one's with those records read again,
    not the whole table, and holds what the whole table would."""
    rows = [lugu_row(), furong_row()]
    rows += [lugu_row(投诉编号=f"TS43010420251230{n:04d}", 投诉日期="2025-12-30") for n in range(5)]
    import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="一月.csv")
    assert snapshot_file.read(DisclosureDataVersion.current()) is not None
    full_build = snapshot._build

    def no_whole_table(*args):
        raise AssertionError("the whole table was read again")

    monkeypatch.setattr(snapshot, "_build", no_whole_table)
    revised = [
        lugu_row(行政区划代码="430211", 投诉日期="2025-12-28", 处理结果="调解不成功"),
        furong_row(处理结果="调解成功", 公示截止日期="2026-06-30"),
        lugu_row(
            投诉编号="TS430104202602200009", 投诉内容摘要="购买的空气炸锅使用三天后无法启动。"
        ),
    ]
    report = import_disclosures(io.BytesIO(csv_bytes(revised)), file_name="一月更正.csv")

    assert (report.created, report.updated) == (1, 2)
    token = DisclosureDataVersion.current()
    assert_folder_is_the_tables(token, build=full_build)
    snapshot.forget()  # a worker: maps the patched folder
    lugu = Disclosure.objects.get(complaint_number=lugu_row()["投诉编号"])
    assert search(DisclosureQuery(q="电饭煲", region="430200")).ids == [lugu.pk]
    assert search(DisclosureQuery(q="空气炸锅")).total == 1
    found = search(DisclosureQuery(q="电饭煲"))
    assert found.ids[-1] == lugu.pk  # now the oldest complaint
    assert dict((f.value, f.count) for f in found.facets["result"]) == {
        str(lugu.result_id): 1,
        str(Disclosure.objects.exclude(pk=lugu.pk).first().result_id): 5,
    }


@pytest.mark.django_db
def test_a_revising_import_lets_the_last_versions_files_go_before_building_its_own(
    files, monkeypatch
):
    """The new version is built beside a copy of the last one's columns, not beside its mapped
    files: a re-import of 100,000 records into a million peaked at 330 MB with them still
    mapped, 297 MB without (the import's target is 300)."""
    rows = [lugu_row(投诉编号=f"TS43010420251230{n:04d}", 投诉日期="2025-12-30") for n in range(5)]
    import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="一月.csv")
    before = DisclosureDataVersion.current()
    read, build = snapshot_file.read, snapshot._from_table
    mapped, still_mapped = [], []

    def reading(token):
        found = read(token)
        if found and token == before:
            mapped.extend(weakref.ref(column) for column in found[0].values())
        return found

    def building(token, table):
        still_mapped.append(sum(ref() is not None for ref in mapped))
        return build(token, table)

    monkeypatch.setattr(snapshot_file, "read", reading)
    monkeypatch.setattr(snapshot, "_from_table", building)
    rows[0]["处理结果"] = "调解不成功"
    assert import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="一月更正.csv").updated == 1

    assert mapped and still_mapped == [0]
    assert_folder_is_the_tables(DisclosureDataVersion.current())


@pytest.mark.django_db
@pytest.mark.parametrize("wanted", [[2, 3, 4], [1, 3, 6]], ids=["ids that run on", "gaps"])
def test_records_read_again_by_id_are_the_tables(files, wanted):
    """The patch reads the records an import changed by a range where their ids have no gap,
    by a list otherwise: the same columns either way, in id order."""
    rows = [lugu_row(投诉编号=f"TS43010420251230{n:04d}", 投诉日期="2025-12-30") for n in range(6)]
    import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="一月.csv")
    ids = sorted(Disclosure.objects.values_list("pk", flat=True))
    chosen = np.array([ids[number - 1] for number in wanted], dtype=np.int64)

    read = snapshot._read_ids(chosen)

    table = snapshot._read_table(ids[0], ids[-1])
    rows_of_chosen = np.isin(table["id"], chosen)
    assert list(read["id"]) == list(chosen)
    for name, column in table.items():
        assert np.array_equal(read[name], column[rows_of_chosen]), name


@pytest.mark.django_db
def test_without_the_last_versions_folder_the_table_is_read(files):
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="一月.csv")
    for path in files.glob("snapshot-*"):
        snapshot_file.shutil.rmtree(path)

    import_disclosures(
        io.BytesIO(csv_bytes([lugu_row(处理结果="调解不成功"), furong_row()])),
        file_name="一月更正.csv",
    )

    assert_folder_is_the_tables(DisclosureDataVersion.current())


@pytest.mark.django_db
def test_a_patch_that_does_not_hold_every_record_gives_way_to_the_table(files):
    """A folder that no longer matches the table (a record gone without a new version: never
    done by the site, done here by hand) is not patched: the table is read."""
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="一月.csv")
    last_id = Disclosure.objects.order_by("-pk").first().pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {snapshot.TABLE} WHERE complaint_number = %s",
            [furong_row()["投诉编号"]],
        )
    before, after = DisclosureDataVersion.replace()

    snapshot.warm(snapshot.Change(before, after, updated_ids=[], added_after=last_id))

    assert_folder_is_the_tables(after)
    assert len(snapshot_file.read(after)[0]["ids"]) == 1


@pytest.mark.django_db
def test_a_change_after_the_imports_is_not_patched_over(files, monkeypatch):
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="一月.csv")
    before, imported = DisclosureDataVersion.replace()
    Disclosure.objects.filter(complaint_number=furong_row()["投诉编号"]).get().delete()
    patched = []
    monkeypatch.setattr(snapshot, "_patched", lambda *args: patched.append(args))

    snapshot.warm(snapshot.Change(before, imported, updated_ids=[], added_after=0))

    assert not patched  # the version is no longer the import's
    assert_folder_is_the_tables(DisclosureDataVersion.current())


@pytest.mark.django_db
def test_rows_still_pending_in_the_last_versions_folder_are_shown(files, monkeypatch):
    """An editor's change while the import writes, and a worker's search after it, make a
    folder that holds the import's rows as pending (hidden): the import's own version reads
    them again rather than keeping them hidden."""
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="一月.csv")
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)

    def meanwhile(phase, rows):
        if rows == 2:
            DisclosureDataVersion.bump()  # an editor's save
            snapshot.warm()  # a worker's search: that version's folder

    numbers = [f"TS43010420260301{n:04d}" for n in range(4)]
    rows = [
        lugu_row(投诉编号=number, 投诉内容摘要="购买的空气炸锅使用三天后无法启动。")
        for number in numbers
    ]
    report = import_disclosures(
        io.BytesIO(csv_bytes(rows)), file_name="三月.csv", progress=meanwhile
    )

    assert report.created == 4
    assert_folder_is_the_tables(DisclosureDataVersion.current())
    snapshot.forget()
    assert search(DisclosureQuery(q="空气炸锅")).total == 4
