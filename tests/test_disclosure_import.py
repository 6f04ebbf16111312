"""Importing disclosed complaints: rules, scrubbing before storage, upsert, formats, admin page."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from common.models import ImportJob
from disclosures import personal_names
from disclosures.importing import CHUNK_ROWS, import_disclosures
from disclosures.models import Disclosure, ImportBatch
from disclosures.scrubbing import scrub

from . import admin_upload
from .import_runs import command_on_files, refusal
from .merchant_factories import credit_code, make_merchant

pytestmark = pytest.mark.django_db

HEADERS = [
    "投诉编号",
    "被投诉人名称",
    "统一社会信用代码",
    "行政区划代码",
    "被投诉人地址",
    "商品或服务类别",
    "投诉问题类型",
    "投诉内容摘要",
    "消费者诉求",
    "投诉日期",
    "处理部门",
    "处理结果",
    "办结日期",
    "挽回经济损失（元）",
    "公示日期",
    "公示截止日期",
]
ENGLISH = [
    "complaint_number",
    "respondent_name",
    "credit_code",
    "region_code",
    "respondent_address",
    "category",
    "problem_type",
    "summary",
    "consumer_request",
    "complained_on",
    "handling_department",
    "result",
    "closed_on",
    "recovered_amount",
    "disclosed_on",
    "display_until",
]
LUGU = credit_code("430104", serial=81001)
PHONE = "13907315678"
ID_NUMBER = "430104198805126617"


def lugu_row(**changes):
    row = {
        "投诉编号": "TS430104202601050001",
        "被投诉人名称": "长沙市岳麓区麓谷优选超市有限公司",
        "统一社会信用代码": LUGU,
        "行政区划代码": "430104",
        "被投诉人地址": "湖南省长沙市岳麓区麓谷大道627号",
        "商品或服务类别": "家用电器",
        "投诉问题类型": "售后服务",
        "投诉内容摘要": (
            "2025年12月20日在该店购买电饭煲一台，价格399元，使用一周后无法加热，要求维修被拒绝。"
        ),
        "消费者诉求": "退货退款",
        "投诉日期": "2026-01-05",
        "处理部门": "长沙市岳麓区市场监督管理局",
        "处理结果": "调解成功",
        "办结日期": "2026-01-16",
        "挽回经济损失（元）": "399.00",
        "公示日期": "2026-01-20",
        "公示截止日期": "2027-01-19",
    }
    row.update(changes)
    return row


def furong_row(**changes):
    row = {
        "投诉编号": "TS430102202602110002",
        "被投诉人名称": "长沙市芙蓉区悦享健身俱乐部",
        "统一社会信用代码": "",
        "行政区划代码": "430102",
        "被投诉人地址": "湖南省长沙市芙蓉区五一大道389号",
        "商品或服务类别": "健身服务",
        "投诉问题类型": "合同",
        "投诉内容摘要": "办理预付卡3000元后健身房停业，商家失联，无法退费。",
        "消费者诉求": "退还预付卡余额",
        "投诉日期": "2026/2/11",
        "处理部门": "长沙市芙蓉区市场监督管理局",
        "处理结果": "调解不成功",
        "办结日期": "2026年3月2日",
        "挽回经济损失（元）": "",
        "公示日期": "2026.3.10",
        "公示截止日期": "2027.3.9",
    }
    row.update(changes)
    return row


def csv_bytes(rows, headers=HEADERS, encoding="utf-8", bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in HEADERS])
    return ("\ufeff" if bom else "").encode(encoding) + buffer.getvalue().encode(encoding)


@pytest.fixture
def run_import(tmp_path):
    return command_on_files(tmp_path, "import_disclosures", "投诉公示.csv")


# --- a good file ----------------------------------------------------------------------------


def test_a_good_file_is_imported_and_recorded_as_a_batch(run_import, django_user_model):
    django_user_model.objects.create_user("bianji", password="pw-123456")
    output = run_import(csv_bytes([lugu_row(), furong_row()]), "--user", "bianji")

    assert "导入完成" in output
    assert "新增2条，更新0条，未变化0条" in output
    lugu = Disclosure.objects.get(complaint_number="TS430104202601050001")
    assert lugu.respondent_name == "长沙市岳麓区麓谷优选超市有限公司"
    assert lugu.region_id == "430104" and lugu.city_code == "430100"
    assert lugu.category.name == "家用电器" and lugu.result.name == "调解成功"
    assert lugu.complained_on == datetime.date(2026, 1, 5)
    assert lugu.closed_on == datetime.date(2026, 1, 16)
    assert lugu.recovered_amount == Decimal("399.00")
    assert lugu.objection_state == Disclosure.ObjectionState.NONE
    assert "电饭 饭煲" in lugu.search_tokens
    furong = Disclosure.objects.get(complaint_number="TS430102202602110002")
    assert furong.complained_on == datetime.date(2026, 2, 11)
    assert furong.closed_on == datetime.date(2026, 3, 2)
    assert furong.disclosed_on == datetime.date(2026, 3, 10)
    assert furong.recovered_amount == 0 and furong.credit_code == ""

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert batch.uploaded_by.username == "bianji"
    assert batch.file_name == "投诉公示.csv"
    assert (batch.rows, batch.created, batch.updated, batch.unchanged) == (2, 2, 0, 0)
    assert batch.finished_at is not None
    assert set(Disclosure.objects.values_list("batch", flat=True)) == {batch.pk}


def test_search_index_finds_imported_records():
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="a.csv")
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM disclosures_disclosure_search_tokens_fts "
            "WHERE disclosures_disclosure_search_tokens_fts MATCH %s",
            ['"预付"'],
        )
        found = [row[0] for row in cursor.fetchall()]
    assert found == [Disclosure.objects.get(complaint_number="TS430102202602110002").pk]


# --- personal data ---------------------------------------------------------------------------


def test_personal_data_is_masked_before_it_is_stored(run_import):
    summary = (
        f"本人张伟于2026年1月3日在该店购买冰箱，价格2999元，联系电话{PHONE},"
        f"身份证号{ID_NUMBER}，送货后发现外观破损。"
    )
    output = run_import(
        csv_bytes([lugu_row(投诉内容摘要=summary, 消费者诉求=f"请回电{PHONE}并退款")])
    )

    record = Disclosure.objects.get()
    assert record.summary == (
        "本人张某于2026年1月3日在该店购买冰箱，价格2999元，联系电话139****5678,"
        "身份证号4301**********6617，送货后发现外观破损。"
    )
    assert record.consumer_request == "请回电139****5678并退款"
    batch = ImportBatch.objects.get()
    assert batch.masked == {"mobile": 2, "id_number": 1, "name": 1}
    assert "手机号 2 处" in output and "身份证号 1 处" in output and "姓名 1 处" in output


def test_a_repeated_request_is_masked_on_every_row_that_holds_personal_data(run_import):
    # The usual requests are scrubbed once per import; one holding a phone, every time.
    calling = f"请回电{PHONE}并退款"
    rows = [
        lugu_row(投诉编号=f"TS43010420260105{n:04d}", 消费者诉求=request)
        for n, request in enumerate(["退货退款", calling, "退货退款", calling])
    ]
    run_import(csv_bytes(rows))

    requests = list(
        Disclosure.objects.order_by("complaint_number").values_list("consumer_request", flat=True)
    )
    assert requests == ["退货退款", "请回电139****5678并退款"] * 2
    assert ImportBatch.objects.get().masked == {"mobile": 2}


def test_the_raw_text_is_stored_nowhere(run_import):
    run_import(csv_bytes([lugu_row(投诉内容摘要=f"本人张伟，电话{PHONE}，冰箱外观破损。")]))

    record = Disclosure.objects.get()
    stored = " ".join(str(value) for value in Disclosure.objects.values().get().values())
    assert PHONE not in stored and "张伟" not in stored
    assert "13907315678" not in record.search_tokens and "5678" in record.search_tokens
    assert "张伟" not in record.search_tokens
    batch = " ".join(str(value) for value in ImportBatch.objects.values().get().values())
    assert PHONE not in batch


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"投诉编号": ""}, "第2行：投诉编号为空"),
        ({"被投诉人名称": ""}, "第2行：被投诉人名称为空"),
        ({"统一社会信用代码": "91430104MA4L0000"}, "第2行：统一社会信用代码应为18位，实为16位"),
        ({"统一社会信用代码": LUGU[:17] + "0"}, "统一社会信用代码校验位错误"),
        ({"行政区划代码": "439999"}, "第2行：行政区划代码“439999”不存在"),
        ({"行政区划代码": "430000"}, "第2行：行政区划代码“430000”是省级区划"),
        ({"商品或服务类别": "宠物用品"}, "第2行：商品或服务类别“宠物用品”不存在，可填：一般食品"),
        ({"投诉问题类型": "态度差"}, "第2行：投诉问题类型“态度差”不存在，可填：售后服务"),
        ({"处理结果": "已办结"}, "第2行：处理结果“已办结”不存在，可填：调解成功"),
        ({"投诉日期": "2026-02-30"}, "第2行：投诉日期“2026-02-30”无法识别"),
        ({"投诉日期": ""}, "第2行：投诉日期为空"),
        ({"公示截止日期": ""}, "第2行：公示截止日期为空"),
        ({"办结日期": "2026-01-02"}, "第2行：办结日期（2026年1月2日）早于投诉日期（2026年1月5日）"),
        (
            {"公示截止日期": "2026-01-10"},
            "第2行：公示截止日期（2026年1月10日）早于公示日期（2026年1月20日）",
        ),
        ({"挽回经济损失（元）": "-50"}, "第2行：挽回经济损失（元）“-50”不能为负数"),
        ({"挽回经济损失（元）": "约三百元"}, "第2行：挽回经济损失（元）“约三百元”应为金额数字"),
        ({"投诉内容摘要": ""}, "第2行：投诉内容摘要为空"),
        ({"处理部门": ""}, "第2行：处理部门为空"),
    ],
)
def test_a_bad_row_is_refused_with_its_line_number(run_import, changes, reason):
    message = refusal(run_import, csv_bytes([lugu_row(**changes)]))

    assert reason in message
    assert "整个文件未导入" in message
    assert not Disclosure.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.error_count == 1 and batch.errors[0]["line"] == 2


def test_money_with_thousands_separator_and_yuan_sign(run_import):
    run_import(
        csv_bytes(
            [
                lugu_row(**{"挽回经济损失（元）": "1,299.50"}),
                furong_row(**{"挽回经济损失（元）": "¥300"}),
            ]
        )
    )
    amounts = dict(Disclosure.objects.values_list("complaint_number", "recovered_amount"))
    assert amounts == {
        "TS430104202601050001": Decimal("1299.50"),
        "TS430102202602110002": Decimal("300.00"),
    }


def test_every_bad_row_is_listed_together_and_nothing_is_written(run_import):
    rows = [
        lugu_row(),
        furong_row(处理结果="已办结"),
        lugu_row(投诉编号="TS430104202601050003", 投诉日期="明天"),
        lugu_row(),  # the first row's number again
    ]
    message = refusal(run_import, csv_bytes(rows))

    assert "文件中有3行存在问题" in message
    assert "第3行：处理结果“已办结”不存在" in message
    assert "第4行：投诉日期“明天”无法识别" in message
    assert "第5行：投诉编号“TS430104202601050001”与第2行重复" in message
    assert "第2行" not in message.split("与第2行")[0]
    assert not Disclosure.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    assert [error["line"] for error in batch.errors] == [3, 4, 5]


def test_the_printed_list_is_capped(run_import):
    # A date no one can read, different on each row: each row is listed on its own.
    rows = [lugu_row(投诉编号=f"TS{n:06d}", 投诉日期=f"第{n}天") for n in range(230)]
    message = refusal(run_import, csv_bytes(rows))

    assert "第201行" in message and "第202行" not in message
    assert "另有30行错误" in message
    assert ImportBatch.objects.get().error_count == 230


def test_a_missing_required_column_is_named(run_import):
    headers = [header for header in HEADERS if header != "处理结果"]
    message = refusal(run_import, csv_bytes([lugu_row()], headers=headers))

    assert "表头缺少必需的列：处理结果" in message


def test_an_empty_file_is_refused(run_import):
    assert "文件中没有数据行" in refusal(run_import, csv_bytes([]))


# --- dry run and upsert ---------------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(run_import):
    output = run_import(csv_bytes([lugu_row(), furong_row()]), "--dry-run")

    assert "检查通过（仅检查，未写入任何数据）" in output
    assert "新增2条" in output
    assert not Disclosure.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.CHECKED and batch.created == 2


def test_reimporting_the_same_file_changes_nothing(run_import):
    data = csv_bytes([lugu_row(), furong_row()])
    run_import(data)
    before = dict(Disclosure.objects.values_list("complaint_number", "updated_at"))

    output = run_import(data)

    assert "新增0条，更新0条，未变化2条" in output
    assert dict(Disclosure.objects.values_list("complaint_number", "updated_at")) == before


def test_records_with_awkward_values_are_found_unchanged_and_a_cent_is_a_change(run_import):
    """The stored records come back as one JSON text (``writer._ExistingLookup``), read as
    SQLite's or PostgreSQL's JSON has them: amounts, an empty date and text that JSON escapes
    must compare equal to the file's, or a monthly re-import would rewrite them all."""
    awkward_text = '商家称“质量没问题”，收据上写着 \\ 和 "OK"。\n次日再次交涉😀\t无果。'
    rows = [
        lugu_row(**{"挽回经济损失（元）": "0.10"}, 投诉内容摘要=awkward_text),
        furong_row(**{"挽回经济损失（元）": "99999999.99"}),
        lugu_row(
            投诉编号="TS430104202601080003", 消费者诉求="", **{"挽回经济损失（元）": "1234.5"}
        ),
    ]
    assert "新增3条" in run_import(csv_bytes(rows))
    assert Disclosure.objects.filter(summary=awkward_text).exists()

    assert "新增0条，更新0条，未变化3条" in run_import(csv_bytes(rows))

    rows[0]["挽回经济损失（元）"] = "0.11"
    assert "新增0条，更新1条，未变化2条" in run_import(csv_bytes(rows))


def test_stored_dates_compare_equal_whichever_way_they_are_read_and_a_day_is_a_change(
    run_import,
):
    """An import reads the stored dates from the look-up's JSON text itself, a dry run gets them
    read by the driver: both find the county's dates (typed 2026/2/11, 2026年3月2日,
    2026.3.10) equal to the stored ones, and a closing date one day later is a change."""
    rows = [lugu_row(), furong_row()]
    run_import(csv_bytes(rows))

    checked = import_disclosures(io.BytesIO(csv_bytes(rows)), dry_run=True, file_name="检查.csv")
    assert (checked.created, checked.updated, checked.unchanged) == (0, 0, 2)
    assert "新增0条，更新0条，未变化2条" in run_import(csv_bytes(rows))

    rows[1]["办结日期"] = "2026年3月3日"
    assert "新增0条，更新1条，未变化1条" in run_import(csv_bytes(rows))
    closed = Disclosure.objects.get(complaint_number=rows[1]["投诉编号"]).closed_on
    assert closed == datetime.date(2026, 3, 3)


def test_a_corrected_file_updates_and_never_duplicates(run_import):
    run_import(csv_bytes([lugu_row(), furong_row()]))
    furong = Disclosure.objects.get(complaint_number="TS430102202602110002")
    furong.objection_state = Disclosure.ObjectionState.OBJECTED
    furong.save()

    output = run_import(
        csv_bytes(
            [
                lugu_row(),
                furong_row(处理结果="调解成功", **{"挽回经济损失（元）": "3000"}),
                lugu_row(投诉编号="TS430104202601080003", 投诉内容摘要="购买的洗衣机漏水。"),
            ]
        )
    )

    assert "新增1条，更新1条，未变化1条" in output
    assert Disclosure.objects.count() == 3
    furong.refresh_from_db()
    assert furong.result.name == "调解成功"
    assert furong.recovered_amount == Decimal("3000.00")
    assert furong.objection_state == Disclosure.ObjectionState.OBJECTED  # the editor's, kept
    latest = ImportBatch.objects.order_by("-pk").first()
    assert furong.batch == latest


def test_a_revised_record_is_found_by_its_new_values_and_only_those():
    from disclosures.engines.database import search
    from disclosures.search_query import DisclosureQuery

    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="一月.csv")
    revised = [
        # Moved to another county and month, handled by another department: text unchanged.
        lugu_row(
            行政区划代码="430211",
            投诉日期="2025-12-28",
            处理部门="株洲市天元区市场监督管理局",
            处理结果="调解不成功",
        ),
        # The summary corrected: the old words are no longer found, the new ones are.
        furong_row(投诉内容摘要="办理游泳卡后泳池停业，商家失联，无法退费。"),
    ]
    report = import_disclosures(io.BytesIO(csv_bytes(revised)), file_name="一月更正.csv")

    assert (report.created, report.updated) == (0, 2)
    lugu = Disclosure.objects.get(complaint_number=lugu_row()["投诉编号"])
    assert (lugu.city_code, lugu.complained_month, lugu.result.name) == (
        "430200",
        202512,
        "调解不成功",
    )
    assert search(DisclosureQuery(q="电饭煲", region="430200")).ids == [lugu.pk]
    assert search(DisclosureQuery(q="电饭煲", region="430100")).total == 0
    assert search(DisclosureQuery(q="天元区市场监督")).ids == [lugu.pk]
    assert search(DisclosureQuery(q="健身房")).total == 0
    assert search(DisclosureQuery(q="游泳卡")).total == 1


def test_a_revised_record_moved_to_another_merchant_and_day_is_found_there_only():
    """Its credit code, merchant and complaint date changed: the indexed columns are written
    (and the record found through them); its neighbour, whose result alone changed, keeps
    its own."""
    shop = make_merchant(credit_code=credit_code("430104", serial=81077))
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="一月.csv")
    revised = [
        lugu_row(统一社会信用代码=shop.credit_code, 投诉日期="2026-01-03"),
        furong_row(处理结果="调解成功"),
    ]
    report = import_disclosures(io.BytesIO(csv_bytes(revised)), file_name="一月更正.csv")

    assert (report.created, report.updated) == (0, 2)
    lugu = Disclosure.objects.get(complaint_number=lugu_row()["投诉编号"])
    assert list(Disclosure.objects.filter(credit_code=shop.credit_code)) == [lugu]
    assert not Disclosure.objects.filter(credit_code=LUGU).exists()
    assert list(Disclosure.objects.filter(merchant=shop)) == [lugu]
    on_the_day = Disclosure.objects.filter(complained_on=datetime.date(2026, 1, 3))
    assert list(on_the_day) == [lugu]
    assert not Disclosure.objects.filter(complained_on=datetime.date(2026, 1, 5)).exists()
    furong = Disclosure.objects.get(complaint_number=furong_row()["投诉编号"])
    assert furong.result.name == "调解成功"
    assert furong.complained_on == datetime.date(2026, 2, 11)
    assert list(Disclosure.objects.filter(complained_on=furong.complained_on)) == [furong]


# --- formats --------------------------------------------------------------------------------


def test_gb18030_file_from_excel(run_import):
    run_import(csv_bytes([lugu_row(), furong_row()], encoding="gb18030"))

    assert Disclosure.objects.get(complaint_number="TS430102202602110002").respondent_name == (
        "长沙市芙蓉区悦享健身俱乐部"
    )


def test_utf8_file_with_bom(run_import):
    run_import(csv_bytes([lugu_row()], bom=True))

    assert Disclosure.objects.get().category.name == "家用电器"


def test_english_alias_headers(run_import):
    rows = [{ENGLISH[i]: value for i, value in enumerate(lugu_row().values())}]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ENGLISH)
    writer.writerow(list(rows[0].values()))
    run_import(buffer.getvalue().encode())

    assert Disclosure.objects.get().respondent_name == "长沙市岳麓区麓谷优选超市有限公司"


def xlsx_bytes(rows, title=None):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_after_an_import_the_lexicon_is_let_go_and_names_are_still_masked():
    rows = [lugu_row(投诉内容摘要="投诉人王建国反映商家拒绝退货。")]
    report = import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="投诉公示.csv")

    assert report.created == 1 and report.masked["name"] == 1
    assert personal_names._lexicon is None  # 23 MB the importing process no longer holds
    assert scrub("投诉人李秀英反映商家拒绝退货。").text == "投诉人李某反映商家拒绝退货。"


def test_a_number_cell_and_the_same_number_as_text_are_one_complaint_number():
    rows = [
        lugu_row(投诉编号=2026010500001, 投诉日期="明天"),  # a number cell, in a bad row
        lugu_row(投诉编号="2026010500001"),
    ]
    report = import_disclosures(io.BytesIO(xlsx_bytes(rows)), file_name="投诉公示.xlsx")

    assert report.refused
    assert "第3行：投诉编号“2026010500001”与第2行重复" in report.error_lines()


def test_xlsx_with_a_title_row_date_cells_and_numbers(run_import):
    row = lugu_row(
        投诉日期=datetime.datetime(2026, 1, 5),
        办结日期=datetime.date(2026, 1, 16),
        行政区划代码=430104,
        **{"挽回经济损失（元）": 1299.5},
    )
    run_import(xlsx_bytes([row], title="2026年1月投诉信息公示"), name="公示.xlsx")

    record = Disclosure.objects.get()
    assert record.complained_on == datetime.date(2026, 1, 5)
    assert record.closed_on == datetime.date(2026, 1, 16)
    assert record.recovered_amount == Decimal("1299.50")
    assert record.region_id == "430104"


def test_xlsx_errors_point_at_the_sheet_row(run_import):
    data = xlsx_bytes([lugu_row(), furong_row(处理结果="已办结")], title="2026年1月投诉信息公示")
    message = refusal(run_import, data)

    assert "第4行：处理结果“已办结”不存在" in message


# --- merchants ------------------------------------------------------------------------------


def test_records_link_to_the_registered_merchant():
    merchant = make_merchant(credit_code=LUGU)
    import_disclosures(io.BytesIO(csv_bytes([lugu_row(), furong_row()])), file_name="a.csv")

    assert Disclosure.objects.get(complaint_number="TS430104202601050001").merchant == merchant
    assert Disclosure.objects.get(complaint_number="TS430102202602110002").merchant is None


def test_a_merchant_registered_after_the_import_gets_its_records():
    import_disclosures(io.BytesIO(csv_bytes([lugu_row()])), file_name="a.csv")
    assert Disclosure.objects.get().merchant is None

    merchant = make_merchant(credit_code=LUGU)

    assert Disclosure.objects.get().merchant == merchant


def test_a_corrected_merchant_credit_code_moves_the_link():
    other = credit_code("430104", serial=81002)
    merchant = make_merchant(credit_code=other)
    import_disclosures(io.BytesIO(csv_bytes([lugu_row()])), file_name="a.csv")
    assert Disclosure.objects.get().merchant is None

    merchant.credit_code = LUGU
    merchant.save()

    assert Disclosure.objects.get().merchant == merchant


# --- the API used by the admin page and the benchmark ----------------------------------------


def test_an_uploaded_file_object_is_read_twice_without_a_path():
    upload = SimpleUploadedFile("公示.csv", csv_bytes([lugu_row(), furong_row()]))
    report = import_disclosures(upload, file_name=upload.name)

    assert not report.refused and report.created == 2
    assert ImportBatch.objects.get().file_name == "公示.csv"


def test_progress_is_reported():
    seen = []
    rows = [lugu_row(投诉编号=f"TS{n:06d}") for n in range(CHUNK_ROWS)]
    import_disclosures(
        io.BytesIO(csv_bytes(rows)), file_name="a.csv", progress=lambda *a: seen.append(a)
    )

    assert seen == [("write", CHUNK_ROWS)]


# --- admin ----------------------------------------------------------------------------------

IMPORT_URL = "disclosures_import"


def upload(client, data, name="公示.csv", **fields):
    return admin_upload.upload(client, IMPORT_URL, data, name, **fields)


def test_admin_page_offers_the_upload_form_and_the_template(admin_client):
    page = admin_client.get(reverse(IMPORT_URL))
    assert page.status_code == 200
    assert "仅检查，不写入" in page.content.decode()

    template = admin_client.get(reverse(IMPORT_URL) + "?template=csv")
    content = b"".join(template.streaming_content) if template.streaming else template.content
    assert content.startswith(b"\xef\xbb\xbf")
    header, example = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header == HEADERS
    assert example[0] and example[7]


def test_the_template_imports_as_it_is(admin_client, run_import):
    template = admin_client.get(reverse(IMPORT_URL) + "?template=csv")
    run_import(template.content)

    assert Disclosure.objects.count() == 1


def test_admin_upload_imports_and_records_the_user(admin_client, admin_user):
    page = upload(admin_client, csv_bytes([lugu_row(), furong_row()]), name="一月公示.csv")

    # The upload is imported by a background task; the editor lands on its job's page.
    job = ImportJob.objects.get()
    assert page.redirect_chain == [(f"{reverse(IMPORT_URL)}?job={job.pk}", 302)]
    assert (job.kind, job.status, job.uploaded_by) == ("disclosures", "finished", admin_user)
    content = page.content.decode()
    assert "导入完成" in content
    assert Disclosure.objects.count() == 2
    batch = ImportBatch.objects.get()
    assert batch.uploaded_by == admin_user and batch.file_name == "一月公示.csv"


def test_admin_upload_previews_every_bad_row_and_writes_nothing(admin_client):
    page = upload(admin_client, csv_bytes([lugu_row(), furong_row(处理结果="已办结", 投诉日期="")]))

    content = page.content.decode()
    assert "整个文件未导入" in content
    # One table: the row's own problem, and the unknown name with the rows that hold it.
    table = content.split('<table class="listing import-outcome">')[1].split("</table>")[0]
    rows = [row.split("</tr>")[0] for row in table.split("<tr")[2:]]
    assert len(rows) == 2 and all("<td>第3行</td>" in row for row in rows)
    assert any("<td>错误</td>" in row and "投诉日期为空" in row for row in rows)
    assert any("<td>名称不存在</td>" in row and "处理结果“已办结”不存在" in row for row in rows)
    assert not Disclosure.objects.exists()


def test_admin_dry_run_writes_nothing(admin_client):
    page = upload(admin_client, csv_bytes([lugu_row()]), dry_run="on")

    assert "检查通过" in page.content.decode()
    assert not Disclosure.objects.exists()


def test_staff_without_permissions_get_403(client, django_user_model):
    admin_upload.log_in_staff(client, django_user_model)

    page = client.get(reverse(IMPORT_URL))

    assert page.status_code == 403
    assert "没有新增和修改公示投诉的权限" in page.content.decode()


def test_a_group_with_both_permissions_may_import(client, django_user_model):
    admin_upload.log_in_staff(client, django_user_model, "add_disclosure", "change_disclosure")

    assert client.get(reverse(IMPORT_URL)).status_code == 200


def test_batch_list_and_records_list_render(admin_client):
    import_disclosures(
        io.BytesIO(csv_bytes([lugu_row(投诉内容摘要=f"电话{PHONE}，冰箱破损。")])),
        file_name="一月公示.csv",
    )

    batches = admin_client.get(reverse("wagtailsnippets_disclosures_importbatch:list"))
    content = batches.content.decode()
    assert batches.status_code == 200
    assert "一月公示.csv" in content and "已导入" in content and "手机号 1 处" in content
    assert "新增" in content

    records = admin_client.get(
        reverse("wagtailsnippets_disclosures_disclosure:list"), {"city": "430100"}
    )
    assert records.status_code == 200
    assert "TS430104202601050001" in records.content.decode()


def test_records_cannot_be_added_and_batches_cannot_be_edited(admin_client):
    import_disclosures(io.BytesIO(csv_bytes([lugu_row()])), file_name="a.csv")
    batch = ImportBatch.objects.get()

    add = admin_client.get(reverse("wagtailsnippets_disclosures_disclosure:add"))
    edit_batch = admin_client.get(
        reverse("wagtailsnippets_disclosures_importbatch:edit", args=[batch.pk])
    )

    assert add.status_code in (302, 403)
    assert edit_batch.status_code in (302, 403)


def test_editors_change_the_objection_state_only(admin_client):
    import_disclosures(io.BytesIO(csv_bytes([lugu_row()])), file_name="a.csv")
    record = Disclosure.objects.get()
    url = reverse("wagtailsnippets_disclosures_disclosure:edit", args=[record.pk])

    page = admin_client.get(url)
    assert page.status_code == 200
    response = admin_client.post(
        url, {"objection_state": "corrected", "respondent_name": "别的名字"}
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.objection_state == Disclosure.ObjectionState.CORRECTED
    assert record.respondent_name == "长沙市岳麓区麓谷优选超市有限公司"


# --- writing in chunks ------------------------------------------------------------------------


def sqlite_schema():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE tbl_name = 'disclosures_disclosure'"
            " ORDER BY name"
        )
        return cursor.fetchall()


def test_a_bad_row_after_written_chunks_still_leaves_nothing():
    schema = sqlite_schema() if connection.vendor == "sqlite" else None
    rows = [lugu_row(投诉编号=f"TS{n:06d}") for n in range(CHUNK_ROWS + 1000)]
    rows.append(lugu_row(投诉编号="TS999999", 处理结果="已办结"))

    report = import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="a.csv")

    assert report.refused and report.error_lines() == [
        f"第{CHUNK_ROWS + 1002}行：处理结果“已办结”不存在，"
        "可填：调解成功、调解不成功、终止调解、不予受理、撤诉。新名称请先在后台添加"
    ]
    assert not Disclosure.objects.exists()
    if schema is not None:
        assert sqlite_schema() == schema  # indexes and full-text trigger are back


def test_a_number_repeated_chunks_later_names_its_first_line_in_line_order(monkeypatch):
    # Repeats are found a chunk at a time: small chunks put the first and the repeat far apart.
    monkeypatch.setattr("disclosures.importing.CHUNK_ROWS", 4)
    rows = [lugu_row(投诉编号=f"TS4301042026010500{n:02d}") for n in range(10)]
    rows[6]["投诉日期"] = "明天"  # line 8: another problem, between the repeats
    rows[7]["投诉编号"] = "TS430104202601050001"  # line 9 repeats line 3 (an earlier chunk)
    rows[9]["投诉编号"] = "TS430104202601050008"  # line 11 repeats line 10 (the same chunk)

    report = import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="a.csv")

    assert report.refused and [error.line for error in report.errors] == [8, 9, 11]
    lines = report.error_lines()
    assert lines[1] == "第9行：投诉编号“TS430104202601050001”与第3行重复"
    assert lines[2] == "第11行：投诉编号“TS430104202601050008”与第10行重复"
    assert not Disclosure.objects.exists()


def test_a_first_load_keeps_every_index_and_the_full_text_trigger():
    schema = sqlite_schema() if connection.vendor == "sqlite" else None
    rows = [lugu_row(投诉编号=f"TS{n:06d}") for n in range(CHUNK_ROWS + 1000)]

    report = import_disclosures(io.BytesIO(csv_bytes(rows)), file_name="a.csv")

    assert report.created == len(rows) and Disclosure.objects.count() == len(rows)
    if schema is not None:
        assert sqlite_schema() == schema
    # The update trigger and the re-created insert trigger keep the index in step afterwards.
    record = Disclosure.objects.get(complaint_number="TS000001")
    record.summary = "商家虚假宣传纯棉面料。"
    record.save()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM disclosures_disclosure_search_tokens_fts "
                "WHERE disclosures_disclosure_search_tokens_fts MATCH %s",
                ['"纯棉"'],
            )
            assert [row[0] for row in cursor.fetchall()] == [record.pk]
            cursor.execute(
                "SELECT count(*) FROM disclosures_disclosure_search_tokens_fts "
                "WHERE disclosures_disclosure_search_tokens_fts MATCH %s",
                ['"电饭"'],
            )
            assert cursor.fetchone()[0] == len(rows) - 1


def test_the_write_ahead_log_may_grow_while_an_import_writes_and_is_limited_again_after():
    """Cutting the WAL file back after each of an import's checkpoints only for its next
    commits to grow it again cost a million-row import 5-10 % (``sqlite_bulk``): the limit
    is lifted while it writes and back once it is done."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")

    def size_limit():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_size_limit")
            return cursor.fetchone()[0]

    limit = size_limit()
    while_writing = []
    rows = [lugu_row(投诉编号=f"TS{n:06d}") for n in range(CHUNK_ROWS + 1000)]

    report = import_disclosures(
        io.BytesIO(csv_bytes(rows)),
        file_name="a.csv",
        progress=lambda phase, done: while_writing.append(size_limit()),
    )

    assert report.created == len(rows)
    assert limit == 64 * 2**20
    assert while_writing == [-1]
    assert size_limit() == limit


def disclosure_index_definitions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s", [Disclosure._meta.db_table]
        )
        return [definition for (definition,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Django adds them on PostgreSQL")
def test_credit_codes_and_complaint_numbers_are_indexed_once_each():
    """No ``varchar_pattern_ops`` index beside the equality one (migration 0014): an import
    wrote it for every row, and nothing looks either up by a prefix. Reversed, the migration
    puts both back under Django's names; applied again, it takes them away."""
    from django.apps import apps

    migration = __import__("disclosures.migrations.0014_no_pattern_indexes", fromlist=["Migration"])
    (operation,) = migration.Migration.operations

    def over(column):
        return [d for d in disclosure_index_definitions() if d.endswith(f"({column})")]

    def patterns():
        return sorted(d.split()[2] for d in disclosure_index_definitions() if "pattern_ops" in d)

    assert len(over("credit_code")) == 1 and "UNIQUE" in over("complaint_number")[0]
    assert patterns() == []
    with connection.schema_editor() as editor:
        operation.reverse_code(apps, editor)
    assert patterns() == [
        "disclosures_disclosure_complaint_number_2c88d27d_like",
        "disclosures_disclosure_credit_code_d7c6458a_like",
    ]
    with connection.schema_editor() as editor:
        operation.code(apps, editor)
    assert patterns() == [] and len(over("credit_code")) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_revised_records_are_written_by_a_statement_the_server_prepared_once(monkeypatch):
    """Revised re-imports send their UPDATE once and each record's values apart
    (``updates._preparing``), not a statement text per record for the server to
    parse and plan: one prepared statement serves every chunk of an import and the next
    import, and every value arrives."""
    import disclosures.importing

    monkeypatch.setattr(disclosures.importing, "CHUNK_ROWS", 8)  # three chunks of 20 rows
    numbers = [f"TS4301042026010{n:05d}" for n in range(20)]

    def revised(result, amount):
        rows = [
            lugu_row(投诉编号=number, 处理结果=result, **{"挽回经济损失（元）": amount})
            for number in numbers
        ]
        return io.BytesIO(csv_bytes(rows))

    import_disclosures(revised("调解成功", "0"), file_name="一月.csv")
    first = import_disclosures(revised("调解不成功", "120.50"), file_name="二月.csv")
    second = import_disclosures(revised("调解成功", "99"), file_name="三月.csv")

    assert first.updated == second.updated == len(numbers)
    assert set(Disclosure.objects.values_list("result__name", "recovered_amount")) == {
        ("调解成功", Decimal("99.00"))
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ["UPDATE %"],
        )
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert len(prepared) == 1 and '"id" = $' in prepared[0]


# --- after the commit: search, the Elasticsearch index and the scan page catch up -------------


def test_an_import_reaches_the_search_the_index_and_the_scan_page(client, monkeypatch):
    from django.core.cache import cache

    from disclosures import engines
    from disclosures.engines.database import search
    from disclosures.search_query import DisclosureQuery

    merchant = make_merchant(credit_code=LUGU)
    cache.clear()
    scan = reverse("merchants:scan", args=[merchant.current_code.code])
    assert "暂无公示投诉" in client.get(scan).content.decode()  # now cached
    assert search(DisclosureQuery(q="电饭煲")).total == 0
    synced = []
    monkeypatch.setattr(engines, "sync_after_import", lambda ids: synced.extend(ids))

    import_disclosures(io.BytesIO(csv_bytes([lugu_row()])), file_name="十二月公示.csv")

    record = Disclosure.objects.get()
    assert record.merchant == merchant
    assert synced == [record.pk]
    assert search(DisclosureQuery(q="电饭煲")).ids == [record.pk]
    page = client.get(scan).content.decode()
    assert "暂无公示投诉" not in page and "电饭煲" in page

    # The same file again changes nothing, so there is nothing to index.
    synced.clear()
    import_disclosures(io.BytesIO(csv_bytes([lugu_row()])), file_name="十二月公示.csv")
    assert synced == []


def test_a_refused_or_dry_run_import_leaves_search_as_it_was(monkeypatch):
    from disclosures.engines.database import search
    from disclosures.search_query import DisclosureQuery

    bad = lugu_row(投诉编号="TS2", 投诉日期="2026-13-45")
    import_disclosures(io.BytesIO(csv_bytes([furong_row(), bad])), file_name="有错.csv")
    import_disclosures(io.BytesIO(csv_bytes([furong_row()])), dry_run=True, file_name="检查.csv")
    assert search(DisclosureQuery()).total == 0
    assert not Disclosure.objects.exists()


def test_a_second_import_indexes_new_rows_and_corrected_text():
    from disclosures.engines.database import search
    from disclosures.search_query import DisclosureQuery

    import_disclosures(io.BytesIO(csv_bytes([lugu_row()])), file_name="一月.csv")
    corrected = lugu_row(投诉内容摘要="购买的电压力锅使用一周后漏气，要求维修被拒绝。")
    report = import_disclosures(
        io.BytesIO(csv_bytes([corrected, furong_row()])), file_name="一月更正.csv"
    )
    assert (report.created, report.updated) == (1, 1)
    assert search(DisclosureQuery(q="电饭煲")).total == 0
    assert search(DisclosureQuery(q="压力锅")).total == 1
    furong = Disclosure.objects.get(complaint_number=furong_row()["投诉编号"])
    term = furong.summary[:2]
    assert furong.pk in search(DisclosureQuery(q=term, per_page=100)).ids
