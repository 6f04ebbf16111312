"""Imports take the sheets counties send: the usual ways of writing a status, a category or a
region, an unknown name listed once with its rows, and ``--add-missing`` (the upload page's
checkbox) adding missing categories and 商圈 in the import's transaction."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.db import IntegrityError
from openpyxl import Workbook

from common.models import ImportJob
from disclosures import importing as disclosure_importing
from disclosures.importing import import_disclosures
from disclosures.importing import variants as disclosure_variants
from disclosures.importing.writer import ChunkWriter
from disclosures.models import ComplaintCategory, Disclosure, ImportBatch
from merchants.importing import import_merchants
from merchants.importing import variants as merchant_variants
from merchants.importing import writer as merchant_writer
from merchants.models import BusinessCategory, BusinessDistrict, Merchant

from . import admin_upload
from .import_runs import command_on_files
from .merchant_factories import credit_code

pytestmark = pytest.mark.django_db

# How two counties head their merchant lists: neither uses the template's exact headers.
YUELU_HEADERS = ["信用代码", "企业名称", "门店名称", "所属区县", "经营地址", "行业", "商圈",
                 "承诺类型", "承诺开始日期", "状态"]  # fmt: skip
FURONG_HEADERS = ["统一社会信用代码", "经营者名称", "门店", "区划代码", "地址", "行业类别",
                  "所属商圈", "承诺类型", "开始日期", "登记状态"]  # fmt: skip


def csv_bytes(headers, rows, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(headers, rows, title=None):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def yuelu_row(serial, category="餐饮", status="有效", district="", region="岳麓区"):
    """A row of 岳麓区's list: the region by name, the category and status in its own words."""
    return [
        credit_code("430104", serial=serial),
        f"长沙市岳麓区湘江鱼馆{serial}号店",
        f"湘江鱼馆（麓山南路{serial}号店）",
        region,
        f"湖南省长沙市岳麓区麓山南路{serial}号",
        category,
        district,
        "放心消费承诺",
        "2026-03-01",
        status,
    ]


def furong_row(serial, category="餐饮服务", status="正常", region="４３０１０２ "):
    """A row of 芙蓉区's list: the code typed with full-width digits and a trailing space."""
    return [
        credit_code("430102", serial=serial),
        f"长沙市芙蓉区湘味小厨{serial}号店",
        f"湘味小厨（五一广场{serial}号店）",
        region,
        f"湖南省长沙市芙蓉区五一大道３８９号{serial}栋",
        category,
        "",
        "放心消费",
        "2026年3月1日",
        status,
    ]


def refusal(run_import, data, *options):
    """What the command said when it refused the file."""
    with pytest.raises(CommandError) as caught:
        run_import(data, *options)
    return str(caught.value)


@pytest.fixture
def run_merchants(tmp_path):
    return command_on_files(tmp_path, "import_merchants", "区县名单.csv")


@pytest.fixture
def run_disclosures(tmp_path):
    return command_on_files(tmp_path, "import_disclosures", "公示.csv")


# --- the usual variants -------------------------------------------------------------------


def test_two_counties_writing_in_their_own_words_import_alike(run_merchants):
    yuelu = csv_bytes(YUELU_HEADERS, [yuelu_row(101), yuelu_row(102, category="住宿")])
    furong = xlsx_bytes(FURONG_HEADERS, [furong_row(201), furong_row(202, category="服装鞋帽类")])

    run_merchants(yuelu)
    run_merchants(furong, name="芙蓉区名单.xlsx")

    merchants = {m.credit_code: m for m in Merchant.objects.select_related("category", "region")}
    assert len(merchants) == 4
    rows = sorted((m.region.name, m.category.name, m.registry_status) for m in merchants.values())
    assert rows == [
        ("岳麓区", "餐饮住宿", "listed"),
        ("岳麓区", "餐饮住宿", "listed"),
        ("芙蓉区", "服装鞋帽", "listed"),
        ("芙蓉区", "餐饮住宿", "listed"),
    ]
    # What the editor typed is stored as typed: only the matching is loose.
    fu = merchants[credit_code("430102", serial=201)]
    assert fu.shop_name == "湘味小厨（五一广场201号店）"
    assert fu.address == "湖南省长沙市芙蓉区五一大道３８９号201栋"
    # 放心消费 is the pledge type 放心消费承诺.
    assert fu.pledges.get().pledge_type.name == "放心消费承诺"
    assert not BusinessCategory.objects.filter(name__in=["餐饮", "餐饮服务", "住宿"]).exists()


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("正常", "listed"),
        ("在期", "listed"),
        ("撤销", "removed"),
        ("已注销", "removed"),
        ("撤回", "removed"),
        ("中止", "suspended"),
        ("ｌｉｓｔｅｄ", "listed"),  # full-width letters, NFKC
        (" 暂 停 ", "suspended"),
    ],
)
def test_status_words_counties_use(run_merchants, word, status):
    run_merchants(csv_bytes(YUELU_HEADERS, [yuelu_row(301, status=word)]))

    assert Merchant.objects.get().registry_status == status


@pytest.mark.parametrize(
    ("cell", "code"),
    [("岳麓区", "430104"), ("岳麓", "430104"), ("长沙市岳麓区", "430104"),
     ("湖南省长沙市岳麓区", "430104"), ("430104", "430104"), ("浏阳", "430181")],
)  # fmt: skip
def test_a_region_by_code_full_name_or_unambiguous_short_name(run_merchants, cell, code):
    run_merchants(csv_bytes(YUELU_HEADERS, [yuelu_row(401, region=cell)]))

    assert Merchant.objects.get().region_id == code


def test_a_short_name_two_regions_share_is_asked_about(run_disclosures):
    rows = [disclosure_row(1, region="长沙"), disclosure_row(2, region="麓谷新区")]

    message = refusal(run_disclosures, disclosure_csv(rows))

    assert (
        "第2行：行政区划“长沙”可指长沙市（430100）、长沙县（430121），请填写全称或6位行政区划代码"
        in message
    )
    # A region needs its code: the import says so instead of adding one from a name.
    assert "第3行：行政区划“麓谷新区”不在行政区划表中：请填写6位行政区划代码（如430104）" in message
    assert not Disclosure.objects.exists()


# --- an unknown name, listed once -----------------------------------------------------------


def test_an_unknown_category_on_forty_rows_is_listed_once_with_forty(run_merchants):
    rows = [yuelu_row(500 + n, category="水果") for n in range(40)]
    rows.insert(10, yuelu_row(599, category="餐饮"))

    message = refusal(run_merchants, csv_bytes(YUELU_HEADERS, rows))

    assert "文件中有40行存在问题" in message
    assert message.count("水果") == 1
    assert (
        "第2、3、4、5、6行等共40行：行业类别“水果”不在已有类别中（商场超市、餐饮住宿、" in message
    )
    assert "勾选“添加缺少的类别和商圈”（命令行加 --add-missing）" in message
    assert not Merchant.objects.exists() and not BusinessCategory.objects.filter(name="水果")


def test_structural_errors_still_refuse_the_file_with_add_missing(run_merchants):
    rows = [yuelu_row(600, category="水果"), yuelu_row(601, region="430199")]
    rows.append(yuelu_row(602)[:8] + ["2026-02-30", "有效"])
    bad_code = yuelu_row(603)
    bad_code[0] = bad_code[0][:-1] + ("0" if bad_code[0][-1] != "0" else "1")
    rows.append(bad_code)

    message = refusal(run_merchants, csv_bytes(YUELU_HEADERS, rows), "--add-missing")

    assert "文件中有3行存在问题" in message
    assert "第3行：行政区划代码“430199”不存在" in message
    assert "第4行：承诺开始日期“2026-02-30”无法识别" in message
    assert "第5行：统一社会信用代码校验位错误" in message
    assert not BusinessCategory.objects.filter(name="水果").exists()
    assert not Merchant.objects.exists()


def disclosure_row(serial, category="家用电器", region="430104", **changes):
    row = {
        "投诉编号": f"TS4301042026030{serial:05d}",
        "被投诉人名称": "长沙市岳麓区麓谷鲜果行",
        "行政区划代码": region,
        "被投诉人地址": "湖南省长沙市岳麓区麓谷大道88号",
        "商品或服务类别": category,
        "投诉问题类型": "质量问题",
        "投诉内容摘要": "在该店购买的水果礼盒部分腐烂，要求退款被拒绝。",
        "消费者诉求": "退款",
        "投诉日期": "2026-03-02",
        "处理部门": "长沙市岳麓区市场监督管理局",
        "处理结果": "已调解",
        "办结日期": "2026-03-09",
        "挽回经济损失（元）": "168",
        "公示日期": "2026-03-20",
        "公示截止日期": "2027-03-19",
    }
    row.update(changes)
    return row


def disclosure_csv(rows):
    headers = list(rows[0])
    return csv_bytes(headers, [[row[header] for header in headers] for row in rows])


def test_a_disclosure_file_in_county_words(run_disclosures):
    rows = [
        disclosure_row(1, category="餐饮"),
        disclosure_row(2, category=" 家电 ", region="岳麓"),
        disclosure_row(3, category="服装类", 处理结果="调解失败", 投诉问题类型="售后"),
    ]

    run_disclosures(disclosure_csv(rows))

    found = sorted(
        Disclosure.objects.values_list(
            "category__name", "problem_type__name", "result__name", "region_id"
        )
    )
    assert found == [
        ("家用电器", "质量", "调解成功", "430104"),
        ("服装鞋帽", "售后服务", "调解不成功", "430104"),
        ("餐饮住宿", "质量", "调解成功", "430104"),
    ]


def test_an_unknown_disclosure_category_is_listed_once_and_kept_once(run_disclosures):
    rows = [disclosure_row(n, category="水果") for n in range(40)]

    message = refusal(run_disclosures, disclosure_csv(rows))

    assert message.count("水果") == 1
    assert "第2、3、4、5、6行等共40行：商品或服务类别“水果”不存在，可填：一般食品" in message
    batch = ImportBatch.objects.get()
    assert batch.error_count == 40
    assert [(e["line"], e["rows"], e["where"]) for e in batch.errors] == [
        (2, 40, "第2、3、4、5、6行等共40行")
    ]


# --- --add-missing: in the import's transaction ---------------------------------------------


def test_add_missing_adds_the_category_and_the_district_under_its_county(run_merchants):
    rows = [yuelu_row(700 + n, category="水果", district="麓谷商圈") for n in range(40)]

    output = run_merchants(csv_bytes(YUELU_HEADERS, rows), "--add-missing")

    assert "商家：新建40家" in output
    assert "新增行业类别“水果”：第2、3、4、5、6行等共40行" in output
    assert "新增所属商圈“麓谷商圈”（430104）" in output
    fruit = BusinessCategory.objects.get(name="水果")
    district = BusinessDistrict.objects.get(name="麓谷商圈")
    assert district.region_id == "430104"
    assert set(Merchant.objects.values_list("category", "district")) == {(fruit.pk, district.pk)}


def test_a_dry_run_with_add_missing_says_what_it_would_add_and_adds_nothing(run_merchants):
    rows = [yuelu_row(800, category="水果")]

    output = run_merchants(csv_bytes(YUELU_HEADERS, rows), "--add-missing", "--dry-run")

    assert "将新增行业类别“水果”：第2行" in output
    assert not BusinessCategory.objects.filter(name="水果").exists()


def test_a_district_whose_rows_name_two_counties_is_not_guessed(run_merchants):
    rows = [
        yuelu_row(900, district="湘江新区商圈"),
        yuelu_row(901, district="湘江新区商圈", region="430102"),
    ]

    message = refusal(run_merchants, csv_bytes(YUELU_HEADERS, rows), "--add-missing")

    assert "所属商圈“湘江新区商圈”在文件中属于不同区县（430102、430104）" in message
    assert not BusinessDistrict.objects.filter(name="湘江新区商圈").exists()


def test_a_merchant_write_that_fails_adds_no_category(monkeypatch):
    def fail(plan, user=None):
        raise IntegrityError("someone registered one of these meanwhile")

    monkeypatch.setattr(merchant_writer, "apply", fail)
    rows = [yuelu_row(1000, category="水果", district="麓谷商圈")]

    report = import_merchants(csv_bytes(YUELU_HEADERS, rows), add_missing=True)

    assert report.refused and "本次未写入任何数据" in report.file_error
    assert not BusinessCategory.objects.filter(name="水果").exists()
    assert not BusinessDistrict.objects.filter(name="麓谷商圈").exists()


def test_a_disclosure_file_failing_after_written_chunks_adds_no_category(monkeypatch):
    # Small chunks: rows of the new category are written before the bad row is read.
    monkeypatch.setattr(disclosure_importing, "CHUNK_ROWS", 10)
    rows = [disclosure_row(n, category="水果") for n in range(40)]
    rows.append(disclosure_row(99, 投诉日期="2026年2月30日"))

    report = import_disclosures(io.BytesIO(disclosure_csv(rows)), add_missing=True)

    assert report.refused and report.error_count == 1
    assert not ComplaintCategory.objects.filter(name="水果").exists()
    assert not Disclosure.objects.exists()


def test_a_disclosure_import_that_crashes_midway_adds_no_category(monkeypatch):
    monkeypatch.setattr(disclosure_importing, "CHUNK_ROWS", 10)
    write = ChunkWriter.write
    chunks = []

    def write_then_crash(self, rows):
        chunks.append(len(rows))
        if len(chunks) == 3:
            raise RuntimeError("disk full")
        return write(self, rows)

    monkeypatch.setattr(ChunkWriter, "write", write_then_crash)
    rows = [disclosure_row(n, category="水果") for n in range(40)]

    with pytest.raises(RuntimeError):
        import_disclosures(io.BytesIO(disclosure_csv(rows)), add_missing=True)

    assert not ComplaintCategory.objects.filter(name="水果").exists()
    assert not Disclosure.objects.exists()


def test_add_missing_imports_the_disclosures_with_their_new_category(run_disclosures):
    rows = [disclosure_row(n, category="水果") for n in range(40)]

    output = run_disclosures(disclosure_csv(rows), "--add-missing")

    assert "新增40条" in output
    assert "新增商品或服务类别“水果”：第2、3、4、5、6行等共40行" in output
    fruit = ComplaintCategory.objects.get(name="水果")
    assert set(Disclosure.objects.values_list("category", flat=True)) == {fruit.pk}


def test_a_category_holding_personal_data_is_listed_masked_and_never_added(run_disclosures):
    before = ComplaintCategory.objects.count()
    rows = [disclosure_row(1, category="联系电话13812345678")]

    message = refusal(run_disclosures, disclosure_csv(rows), "--add-missing")

    assert "第2行：商品或服务类别“联系电话138****5678”不存在" in message
    assert "新名称请先在后台添加" in message and "13812345678" not in message
    assert ComplaintCategory.objects.count() == before


# --- the admin pages: the checkbox and the one table ------------------------------------------


def outcome_rows(page):
    table = page.split('<table class="listing import-outcome">')[1].split("</table>")[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.split(">", 1)[1].split("</tr>")[0])).strip()
        for row in table.split("<tr")[2:]
    ]


def test_the_admin_preview_lists_the_name_once_and_the_checkbox_adds_it(admin_client):
    rows = [yuelu_row(1100 + n, category="水果") for n in range(40)]
    data = csv_bytes(YUELU_HEADERS, rows, encoding="gb18030")

    checked = admin_upload.upload(
        admin_client, "merchants_import", data, "岳麓区.csv", dry_run="on"
    )
    page = checked.content.decode()
    assert "添加缺少的类别和商圈" in page  # the checkbox, on the same page as the report
    assert outcome_rows(page)[0].startswith("名称不存在 第2、3、4、5、6行等共40行 行业类别“水果”")
    assert len(outcome_rows(page)) == 1

    preview = admin_upload.upload(
        admin_client, "merchants_import", data, "岳麓区.csv", dry_run="on", add_missing="on"
    ).content.decode()
    assert outcome_rows(preview)[:2] == [
        "新增名称 第2、3、4、5、6行等共40行 将新增行业类别“水果”",
        "结果 — 共读取40行数据，涉及40家商家。",
    ]
    assert not BusinessCategory.objects.filter(name="水果").exists()

    admin_upload.upload(admin_client, "merchants_import", data, "岳麓区.csv", add_missing="on")
    assert ImportJob.objects.filter(add_missing=True).count() == 2
    assert Merchant.objects.filter(category__name="水果").count() == 40


def test_the_disclosure_page_shows_the_same_table(admin_client):
    rows = [disclosure_row(n, category="水果") for n in range(3)]
    rows.append(disclosure_row(9, 投诉日期="三月二日"))

    page = admin_upload.upload(
        admin_client, "disclosures_import", disclosure_csv(rows), "公示.csv"
    ).content.decode()

    assert "添加缺少的类别" in page
    unknown, error = outcome_rows(page)
    assert unknown.startswith("名称不存在 第2、3、4行 商品或服务类别“水果”不存在，可填：一般食品、")
    assert unknown.endswith(
        "可勾选“添加缺少的类别”（命令行加 --add-missing）重新导入，随导入一并添加"
    )
    assert (
        error == "错误 第5行 投诉日期“三月二日”无法识别，请写成2026-01-05、2026/1/5或2026年1月5日"
    )

    page = admin_upload.upload(
        admin_client, "disclosures_import", disclosure_csv(rows[:3]), "公示.csv", add_missing="on"
    ).content.decode()
    assert outcome_rows(page)[0] == "新增名称 第2、3、4行 新增商品或服务类别“水果”"
    assert Disclosure.objects.filter(category__name="水果").count() == 3


# --- the README lists the variants -------------------------------------------------------------


def test_the_readme_lists_every_variant():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### 常见写法")[1].split("\n## ")[0]
    tables = [
        *merchant_variants.STATUS_VARIANTS.values(),
        merchant_variants.CATEGORY_VARIANTS,
        merchant_variants.PLEDGE_TYPE_VARIANTS,
        disclosure_variants.CATEGORY_VARIANTS,
        disclosure_variants.PROBLEM_TYPE_VARIANTS,
        disclosure_variants.RESULT_VARIANTS,
    ]
    missing = [word for table in tables for word in table if word not in section]
    assert missing == []
