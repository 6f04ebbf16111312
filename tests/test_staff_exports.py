"""Staff spreadsheets keep text as text: a merchant's name never runs as a formula in Excel."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.spreadsheet_safety import csv_safe

from .merchant_factories import make_merchant

pytestmark = pytest.mark.django_db

INDEX_URL = "wagtailsnippets_merchants_merchant:list"
HYPERLINK = '=HYPERLINK("http://evil","点击")'


@pytest.fixture
def merchants():
    make_merchant(
        registered_name=HYPERLINK,
        shop_name="@SUM(1)",
        address="+86 长沙市芙蓉区解放西路1号",
        contact_person="-李四",
    )
    make_merchant(
        registered_name="长沙市天心区老王烧烤店",
        shop_name="老王烧烤-坡子街店",
        address="湖南省长沙市天心区坡子街88号",
        region="430103",
    )


def test_the_staff_csv_export_writes_formula_like_names_as_text(admin_client, merchants):
    response = admin_client.get(reverse(INDEX_URL), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(body))
    by_name = {row["门店名称"]: row for row in (dict(zip(header, r, strict=True)) for r in rows)}

    planted = by_name["'@SUM(1)"]
    assert planted["经营者名称"] == "'" + HYPERLINK
    assert planted["经营地址"] == "'+86 长沙市芙蓉区解放西路1号"
    assert planted["联系人"] == "'-李四"
    ordinary = by_name["老王烧烤-坡子街店"]
    assert ordinary["经营者名称"] == "长沙市天心区老王烧烤店"
    assert ordinary["经营地址"] == "湖南省长沙市天心区坡子街88号"
    assert ordinary["联系人"] == "王建国"


def test_the_staff_xlsx_export_keeps_the_text_exact_and_quote_prefixed(admin_client, merchants):
    response = admin_client.get(reverse(INDEX_URL), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    cells = {
        row[header.index("经营者名称")].value: {name: row[i] for i, name in enumerate(header)}
        for row in sheet.iter_rows(min_row=2)
    }

    planted = cells[HYPERLINK]
    for column in ("经营者名称", "门店名称", "经营地址", "联系人"):
        assert planted[column].data_type == "s"
        assert planted[column].quotePrefix, column
    assert planted["门店名称"].value == "@SUM(1)"
    ordinary = cells["长沙市天心区老王烧烤店"]
    assert ordinary["门店名称"].value == "老王烧烤-坡子街店"
    assert not ordinary["门店名称"].quotePrefix


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=1+1", "'=1+1"),
        ("+8613812345678", "'+8613812345678"),
        ("-5", "'-5"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("芙蓉区-解放西路", "芙蓉区-解放西路"),
        ("售价=99元", "售价=99元"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_only_text_that_starts_like_a_formula_is_changed(text, expected):
    assert csv_safe(text) == expected
