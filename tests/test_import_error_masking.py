"""A refused import quotes the bad cells, and the cells may hold personal data: the reasons the
editor reads, and those kept in the batch record, are masked like complaint text."""

import csv
import io
import json

import pytest

from disclosures.importing.columns import COLUMN_LIST
from disclosures.importing.report import ImportReport
from disclosures.models import ImportBatch

from .import_runs import command_on_files, refusal

pytestmark = pytest.mark.django_db

PHONE = "13855556789"
ID_NUMBER = "430104199001011234"
# Whatever of the planted data could still identify someone.
SECRETS = (PHONE, "5555", "三丰", "四光", "0419900101", "7654321", "isi_2024")


def template_row(**changes):
    """The import template's example row (it imports as it is), with ``changes`` by header."""
    row = {column.label: column.example for column in COLUMN_LIST}
    row.update(changes)
    return row


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in COLUMN_LIST])
    for row in rows:
        writer.writerow([row[column.label] for column in COLUMN_LIST])
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def run_import(tmp_path):
    return command_on_files(tmp_path, "import_disclosures", "投诉公示.csv")


def test_a_bad_cell_with_a_name_and_a_phone_is_reported_masked(run_import):
    rows = [
        template_row(投诉编号="TS0001", 投诉日期=f"我叫张三丰电话{PHONE}"),
        template_row(投诉编号="TS0002", 处理结果="联系人：李四光，QQ：987654321"),
        template_row(投诉编号="TS0003", **{"挽回经济损失（元）": f"身份证{ID_NUMBER}"}),
        template_row(投诉编号="TS0004", 公示日期="微信：lisi_2024"),
    ]

    message = refusal(run_import, csv_bytes(rows))

    assert "第2行：投诉日期“我叫张某电话138****6789”无法识别" in message
    assert "第3行：处理结果“联系人：李某，QQ：98*******”不存在" in message
    assert "第4行：挽回经济损失（元）“身份证4301**********1234”应为金额数字" in message
    assert "第5行：公示日期“微信：l********”无法识别" in message
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    assert [error["line"] for error in batch.errors] == [2, 3, 4, 5]
    assert batch.errors[0]["reason"].startswith("投诉日期“我叫张某电话138****6789”无法识别")
    kept = json.dumps(batch.errors, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in kept
        assert secret not in message


def test_ordinary_reasons_are_kept_as_they_are(run_import):
    rows = [
        template_row(投诉编号="TS0001", 处理结果="已办结"),
        template_row(投诉编号="TS0001"),
    ]

    message = refusal(run_import, csv_bytes(rows))

    assert "第2行：处理结果“已办结”不存在，可填：" in message
    assert "第3行：投诉编号“TS0001”与第2行重复" in message


def test_a_file_error_is_kept_masked_however_it_is_set():
    report = ImportReport()
    report.file_error = f"表头中“联系人：张三丰{PHONE}”出现了两次(第3列和第9列)"

    assert report.error_lines() == ["表头中“联系人：张某138****6789”出现了两次(第3列和第9列)"]
    report.file_error = ""
    assert not report.refused
