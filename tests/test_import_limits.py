"""Import limits and unreadable files: bombs, rows and cells, empty files, encodings.

Every refusal is checked where an editor meets it: both import commands and the admin upload
pages, which run the import as a background task (at once, in tests) and show its outcome.
The hostile XLSX files are written part by part (tests/handmade_xlsx.py), streamed.
"""

import io
import subprocess
import sys
import threading
import zipfile
from contextlib import nullcontext

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from common import import_jobs
from common.models import ImportJob
from disclosures.models import Disclosure, ImportBatch
from merchants.models import Merchant

from . import admin_upload
from .handmade_xlsx import bare_rows, huge_string, write_xlsx
from .import_runs import command_on_files, refusal
from .test_disclosure_import import HEADERS, csv_bytes, furong_row, lugu_row
from .test_merchant_import import HEADERS as MERCHANT_HEADERS
from .test_merchant_import import csv_bytes as merchant_csv_bytes
from .test_merchant_import import lugu_return_row

pytestmark = pytest.mark.django_db

GIB = 1024**3
SUMMARY_COLUMN = "H"  # 投诉内容摘要, the eighth column of the template
ROWS_REFUSED = "数据行超过2000000行的上限"
EMPTY = "文件是空的"


@pytest.fixture
def run_disclosures(tmp_path):
    return command_on_files(tmp_path, "import_disclosures", "投诉公示.csv")


@pytest.fixture
def run_merchants(tmp_path):
    return command_on_files(tmp_path, "import_merchants", "商家名单.csv")


def both_commands(run_disclosures, run_merchants, data):
    """What each import command said when refusing ``data``."""
    return [refusal(run_disclosures, data), refusal(run_merchants, data)]


def upload_page(client, data, name, url_name="disclosures_import", **fields):
    return admin_upload.upload(client, url_name, data, name, **fields).content.decode()


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def disclosure_values(row):
    return [row[header] for header in HEADERS]


# --- the two bombs of the issue ---------------------------------------------------------------


@pytest.fixture(scope="module")
def cell_bomb(tmp_path_factory):
    """About 1 MB on disk: a header, one complaint whose summary is a 1 GiB shared string."""
    path = tmp_path_factory.mktemp("bombs") / "一个1GiB的单元格.xlsx"
    row = disclosure_values(lugu_row())
    distinct = len({value for value in [*HEADERS, *row] if value})
    bomb_cell = f'<c r="{SUMMARY_COLUMN}3" t="s"><v>{distinct}</v></c>'
    write_xlsx(
        path,
        [HEADERS, row],
        extra_rows=[f'<row r="3">{bomb_cell}</row>'],
        extra_strings=huge_string(GIB),
    )
    return path.read_bytes()


@pytest.fixture(scope="module")
def rows_bomb(tmp_path_factory):
    """About 0.4 MB on disk: a header and five million rows, without a <dimension>."""
    path = tmp_path_factory.mktemp("bombs") / "五百万行.xlsx"
    write_xlsx(path, [HEADERS], extra_rows=bare_rows(5_000_000))
    return path.read_bytes()


def test_the_bombs_are_small_files(cell_bomb, rows_bomb):
    assert len(cell_bomb) < 1.5 * 1024 * 1024 and len(rows_bomb) < 1024 * 1024


def test_a_1_gib_cell_is_refused_by_both_commands(run_disclosures, run_merchants, cell_bomb):
    for message in both_commands(run_disclosures, run_merchants, cell_bomb):
        assert "文件中的文字解压后超过64 MB的上限" in message
        assert "请另存为CSV（UTF-8）后导入" in message
    assert ImportBatch.objects.get().status == ImportBatch.Status.REFUSED


def test_five_million_rows_are_refused_by_both_commands(run_disclosures, run_merchants, rows_bomb):
    for message in both_commands(run_disclosures, run_merchants, rows_bomb):
        assert ROWS_REFUSED in message


def test_the_admin_upload_refuses_both_bombs(admin_client, cell_bomb, rows_bomb):
    cell_page = upload_page(admin_client, cell_bomb, "公示.xlsx")
    rows_page = upload_page(admin_client, rows_bomb, "名单.xlsx", url_name="merchants_import")

    assert "文件无法导入，未写入任何数据。" in cell_page
    assert "文件中的文字解压后超过64 MB的上限" in cell_page
    assert ROWS_REFUSED in rows_page
    assert list(ImportJob.objects.values_list("status", flat=True)) == ["finished", "finished"]
    assert not Disclosure.objects.exists() and not Merchant.objects.exists()


# --- other hostile XLSX -----------------------------------------------------------------------


def handmade(tmp_path, rows=(), **parts):
    return write_xlsx(tmp_path / "handmade.xlsx", rows, **parts).read_bytes()


def test_a_dimension_of_millions_of_rows_is_refused_at_once(run_disclosures, tmp_path):
    data = handmade(tmp_path, [HEADERS, disclosure_values(lugu_row())], dimension="A1:P5000001")

    assert ROWS_REFUSED in refusal(run_disclosures, data)


def test_a_row_numbered_in_the_millions_is_refused(run_disclosures, tmp_path):
    far_row = '<row r="3000000"><c r="A3000000" t="s"><v>0</v></c></row>'
    data = handmade(tmp_path, [HEADERS, disclosure_values(lugu_row())], extra_rows=[far_row])

    assert ROWS_REFUSED in refusal(run_disclosures, data)


def test_millions_of_empty_rows_are_refused(run_merchants, tmp_path):
    data = handmade(tmp_path, [MERCHANT_HEADERS], extra_rows=bare_rows(3_000_000, cell=""))

    assert ROWS_REFUSED in refusal(run_merchants, data)


def test_a_huge_cell_written_in_the_sheet_itself_is_refused(run_disclosures, tmp_path):
    text = ("消费者投诉" * 200_000 for _ in range(8))  # 24 MB of XML in one cell
    inline = ['<row r="2"><c r="H2" t="inlineStr"><is><t>', *text, "</t></is></c></row>"]
    data = handmade(tmp_path, [HEADERS], extra_rows=inline)

    assert "第2行的内容过长" in refusal(run_disclosures, data)


def test_a_long_shared_string_is_refused_before_it_is_loaded(run_disclosures, tmp_path):
    row = disclosure_values(lugu_row())
    index = len({value for value in [*HEADERS, *row] if value})
    cell = f'<row r="3"><c r="H3" t="s"><v>{index}</v></c></row>'
    data = handmade(tmp_path, [HEADERS, row], extra_rows=[cell], extra_strings=huge_string(200_000))

    assert "文件中有单元格超过10000个字符的上限" in refusal(run_disclosures, data)


def test_a_cell_over_the_limit_is_named_by_row_and_column(run_disclosures, run_merchants):
    long_summary = "消费者反映商家拒不退款。" * 1000  # 12,000 characters
    data = xlsx_bytes([HEADERS, disclosure_values(lugu_row(投诉内容摘要=long_summary))])

    assert "第2行H列超过10000个字符的上限" in refusal(run_disclosures, data)
    assert not Disclosure.objects.exists()


def test_a_cell_at_the_limit_is_read(run_disclosures):
    # An extra column (备注) the import ignores; the summary has a rule of its own (2000 字).
    note = ("门店已于次日整改完毕。" * 1000)[:10_000]
    header, row = [*HEADERS, "备注"], [*disclosure_values(lugu_row()), note]

    run_disclosures(xlsx_bytes([header, row]), name="公示.xlsx")

    assert Disclosure.objects.count() == 1


def test_rows_beyond_a_wrong_dimension_are_still_imported(run_disclosures, tmp_path):
    rows = [disclosure_values(lugu_row()), disclosure_values(furong_row())]
    data = handmade(tmp_path, [HEADERS, *rows], dimension="A1:P2")

    run_disclosures(data, name="公示.xlsx")

    assert Disclosure.objects.count() == 2


def test_a_zip_bomb_part_is_refused(run_disclosures, tmp_path):
    # Rows of blanks, each short enough, 300 MB of them packed a thousand to one.
    padded = (f"<row>{' ' * (1024 * 1024)}</row>" for _ in range(300))
    data = handmade(tmp_path, [HEADERS], extra_rows=padded)

    assert "Excel文件的压缩比异常" in refusal(run_disclosures, data)


def test_a_zip_that_is_not_a_workbook_says_what_it_is(run_disclosures, tmp_path):
    path = tmp_path / "投诉.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    assert "这是Word或PowerPoint文件" in refusal(run_disclosures, path.read_bytes())


# --- CSV ----------------------------------------------------------------------------------------


def test_a_long_csv_cell_is_refused_with_its_row(run_disclosures, run_merchants):
    long_summary = "消费者反映商家拒不退款。" * 1000
    message = refusal(run_disclosures, csv_bytes([lugu_row(), lugu_row(投诉内容摘要=long_summary)]))

    assert "第3行有单元格超过10000个字符的上限" in message


def test_a_100_mb_line_is_refused_without_reading_it_whole(tmp_path):
    # Run apart so its peak memory can be read: the line is never built in memory.
    path = tmp_path / "one-line.csv"
    with open(path, "wb") as handle:
        handle.write(",".join(HEADERS).encode() + b"\n")
        for _ in range(100):
            handle.write(b"x" * (1024 * 1024))
    script = (
        "import django; django.setup()\n"
        "from common import tabular\n"
        "from disclosures.importing.columns import COLUMN_SET\n"
        "try:\n"
        f"    list(tabular.read_rows(open({str(path)!r}, 'rb'), COLUMN_SET))\n"
        "except tabular.TabularFileError as error:\n"
        "    print(error)\n"
        # VmHWM, not ru_maxrss: Linux carries the parent's (pytest's) peak over a fork and exec.
        "print(next(int(line.split()[1]) // 1024 for line in open('/proc/self/status')"
        " if line.startswith('VmHWM:')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.test", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    message, peak_mb = result.stdout.strip().splitlines()

    assert "第2行有单元格超过10000个字符的上限" in message
    assert int(peak_mb) < 300


@override_settings(IMPORT_MAX_ROWS=2)
def test_the_row_limit_counts_data_rows(run_disclosures):
    run_disclosures(csv_bytes([lugu_row(), furong_row()]))
    three = csv_bytes([lugu_row(), furong_row(), lugu_row(投诉编号="TS430104202601050009")])

    assert "数据行超过2行的上限" in refusal(run_disclosures, three)
    assert Disclosure.objects.count() == 2


@override_settings(IMPORT_MAX_FILE_BYTES=2 * 1024 * 1024)
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(run_disclosures, run_merchants):
    padding = "消费者反映商家拒不退款。" * 100
    rows = [lugu_row(投诉编号=f"TS{n:08d}", 投诉内容摘要=padding) for n in range(2500)]
    data = csv_bytes(rows)
    assert len(data) > 2 * 1024 * 1024

    for message in both_commands(run_disclosures, run_merchants, data):
        assert "文件超过2 MB的上限，请拆分后分批导入" in message


# --- empty files and encodings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \r\n", xlsx_bytes([])],
    ids=["zero bytes", "only a BOM", "blank lines", "empty workbook"],
)
def test_an_empty_file_is_called_empty(run_disclosures, run_merchants, data):
    for message in both_commands(run_disclosures, run_merchants, data):
        assert EMPTY in message and "表头缺少" not in message


def test_a_header_without_rows_is_not_called_empty(run_disclosures):
    message = refusal(run_disclosures, csv_bytes([]))

    assert "文件中没有数据行" in message and EMPTY not in message


TRADITIONAL_HEADERS = (
    "投訴編號,被投訴人名稱,統一社會信用代碼,行政區劃代碼,被投訴人地址,商品或服務類別,投訴問題類型,"
    "投訴內容摘要,消費者訴求,投訴日期,處理部門,處理結果,辦結日期,挽回經濟損失(元),公示日期,公示截止日期"
)
TRADITIONAL_ROW = (
    "TS430104202601050001,長沙市嶽麓區麓谷優選超市有限公司,,430104,湖南省長沙市嶽麓區麓谷大道627號,"
    "家用電器,售後服務,在該店購買電飯煲一台，使用一週後無法加熱，要求維修被拒絕。,退貨退款,2026-01-05,"
    "長沙市嶽麓區市場監督管理局,調解成功,2026-01-16,399.00,2026-01-20,2027-01-19"
)


def test_a_big5_file_is_named_as_big5(run_disclosures, run_merchants):
    data = f"{TRADITIONAL_HEADERS}\r\n{TRADITIONAL_ROW}\r\n".encode("big5")

    for message in both_commands(run_disclosures, run_merchants, data):
        assert "文件是繁体中文Big5编码" in message and "表头缺少" not in message


def test_traditional_characters_in_a_gb18030_file_are_imported(run_disclosures):
    summary = "在長沙市嶽麓區該店購買電飯煲一台，使用一週後無法加熱，要求維修被拒絕。"
    run_disclosures(csv_bytes([lugu_row(投诉内容摘要=summary)], encoding="gb18030"))

    assert Disclosure.objects.get().summary == summary


def test_a_utf16_text_file_from_excel_is_imported(run_disclosures):
    # Excel's and WPS's "Unicode 文本(*.txt)": UTF-16 with a BOM, separated by tabs.
    lines = ["\t".join(HEADERS), "\t".join(disclosure_values(lugu_row()))]
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-16-le")

    run_disclosures(data, name="公示.txt")

    assert Disclosure.objects.get().respondent_name == "长沙市岳麓区麓谷优选超市有限公司"


def test_utf16_without_its_byte_order_mark_is_named(run_disclosures):
    data = ",".join(HEADERS).encode("utf-16-le")

    assert "没有字节顺序标记（BOM）的UTF-16" in refusal(run_disclosures, data)


@pytest.mark.parametrize(
    "data",
    [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504],
    ids=["xls or et"],
)
def test_old_excel_and_wps_files_are_named(run_disclosures, run_merchants, data):
    for message in both_commands(run_disclosures, run_merchants, data):
        assert "不支持旧版Excel格式（.xls）或WPS表格格式（.et）" in message


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        bytes(range(256)) * 16,
    ],
    ids=["png", "pdf", "binary"],
)
def test_a_file_that_is_not_text_is_named(run_disclosures, data):
    assert "文件不是CSV文本，也不是Excel工作簿（.xlsx）" in refusal(run_disclosures, data)


def test_the_admin_upload_names_empty_and_big5_files(admin_client):
    empty = upload_page(admin_client, b"", "名单.csv", url_name="merchants_import")
    big5 = upload_page(
        admin_client, f"{TRADITIONAL_HEADERS}\r\n{TRADITIONAL_ROW}\r\n".encode("big5"), "公示.csv"
    )

    assert EMPTY in empty
    assert "文件是繁体中文Big5编码" in big5


# --- admin uploads as background tasks ----------------------------------------------------------

QUEUE_ONLY = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "imports": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
}


def job_page(client, job, url_name="disclosures_import"):
    return client.get(reverse(url_name), {"job": job.pk}).content.decode()


@override_settings(TASKS=QUEUE_ONLY)
def test_an_upload_is_queued_and_its_page_refreshes_until_done(admin_client):
    from disclosures.tasks import import_uploaded_disclosures

    response = admin_upload.upload(
        admin_client, "disclosures_import", csv_bytes([lugu_row()]), "一月公示.csv"
    )

    job = ImportJob.objects.get()
    assert response.redirect_chain == [(f"{reverse('disclosures_import')}?job={job.pk}", 302)]
    page = response.content.decode()
    assert "“一月公示.csv”正在后台导入" in page and "排队等候中" in page
    assert '<meta http-equiv="refresh"' in page
    assert not Disclosure.objects.exists()  # nothing ran inside the request

    import_uploaded_disclosures.call(job.pk)  # what the worker does

    page = job_page(admin_client, job)
    assert "导入完成" in page and "文件：一月公示.csv" in page
    assert '<meta http-equiv="refresh"' not in page
    assert Disclosure.objects.count() == 1


@override_settings(TASKS=QUEUE_ONLY)
def test_the_page_shows_how_far_a_running_import_has_got(admin_client):
    admin_upload.upload(admin_client, "disclosures_import", csv_bytes([lugu_row()]), "公示.csv")
    ImportJob.objects.update(
        status=ImportJob.Status.RUNNING,
        phase="write",
        rows_done=35000,
        worker=import_jobs._worker(),
    )

    page = job_page(admin_client, ImportJob.objects.get())

    assert "正在写入：已处理35000行" in page


@override_settings(TASKS=QUEUE_ONLY)
def test_a_job_whose_process_died_is_marked_failed(admin_client):
    admin_upload.upload(
        admin_client, "merchants_import", merchant_csv_bytes([lugu_return_row()]), "名单.csv"
    )
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    host = import_jobs._worker().rpartition(":")[0]
    ImportJob.objects.update(
        status=ImportJob.Status.RUNNING, worker=f"{host}:{finished.stdout.strip()}"
    )
    job = ImportJob.objects.get()

    page = job_page(admin_client, job, url_name="merchants_import")

    assert "导入进程在完成前中断" in page and '<meta http-equiv="refresh"' not in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not job.stored_name


def test_the_upload_waits_outside_media_and_is_removed_after_the_import(admin_client, tmp_path):
    with override_settings(IMPORT_WORK_DIR=tmp_path / "imports"):
        upload_page(admin_client, csv_bytes([lugu_row()]), "公示.csv")
        folder = import_jobs.upload_dir().resolve()

    assert Disclosure.objects.count() == 1
    assert settings.MEDIA_ROOT.resolve() not in folder.parents
    assert ImportJob.objects.get().stored_name == ""
    assert not any(folder.iterdir())


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_by_the_page_while_the_import_still_runs():
    """Committed for real: the page reads the job on a connection of its own."""
    job = import_jobs.create_job(
        "disclosures",
        SimpleUploadedFile("公示.csv", csv_bytes([lugu_row()])),
        dry_run=False,
        user=None,
    )
    seen = []

    def importer(job, path, progress):
        # As the disclosure import writes: one transaction on PostgreSQL, a commit per chunk on
        # SQLite.
        one_transaction = transaction.atomic() if connection.vendor != "sqlite" else nullcontext()
        with one_transaction:
            progress("write", 5000)
            seen.append(read_on_another_connection(job.pk))
        return {"refused": False, "headline": "导入完成。"}

    import_jobs.run_job(job.pk, importer)

    assert seen == [("running", "write", 5000)]


def read_on_another_connection(job_id):
    found = []

    def read():
        try:
            found.extend(
                ImportJob.objects.filter(pk=job_id).values_list("status", "phase", "rows_done")
            )
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    return found[0]


@pytest.mark.parametrize("value", ["99999999999999999999", "²", "abc"])
def test_a_job_of_another_page_or_no_job_is_not_found(admin_client, value):
    upload_page(admin_client, csv_bytes([lugu_row()]), "公示.csv")
    job = ImportJob.objects.get()

    assert admin_client.get(reverse("merchants_import"), {"job": job.pk}).status_code == 404
    assert admin_client.get(reverse("disclosures_import"), {"job": value}).status_code == 404
