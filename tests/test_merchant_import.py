"""Importing pledge merchants from CSV / XLSX: the command, the rules, and the admin upload page."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook
from wagtail.models import ModelLogEntry, ReferenceIndex

from common.models import ImportJob
from merchants.models import Merchant, Pledge, PublicStatus

from . import admin_upload
from .import_runs import command_on_files, refusal
from .merchant_factories import credit_code, make_district, make_merchant

pytestmark = pytest.mark.django_db

HEADERS = [
    "统一社会信用代码",
    "经营者名称",
    "门店名称",
    "行政区划代码",
    "经营地址",
    "行业类别",
    "所属商圈",
    "承诺类型",
    "承诺内容",
    "退货期限（天）",
    "退货范围",
    "退货条件",
    "承诺开始日期",
    "承诺结束日期",
    "状态",
    "联系人",
    "联系电话",
]
ENGLISH = {
    "统一社会信用代码": "credit_code",
    "经营者名称": "registered_name",
    "门店名称": "shop_name",
    "行政区划代码": "region_code",
    "经营地址": "address",
    "行业类别": "category",
    "所属商圈": "district",
    "承诺类型": "pledge_type",
    "承诺内容": "pledge_content",
    "退货期限（天）": "return_days",
    "退货范围": "return_scope",
    "退货条件": "return_conditions",
    "承诺开始日期": "starts_on",
    "承诺结束日期": "ends_on",
    "状态": "status",
    "联系人": "contact_person",
    "联系电话": "contact_phone",
}
LUGU = credit_code("430104", serial=70001)
FURONG = credit_code("430102", serial=70002)
HETANG = credit_code("430202", serial=70003)


def lugu_return_row(**changes):
    row = {
        "统一社会信用代码": LUGU,
        "经营者名称": "长沙市岳麓区麓谷优选超市有限公司",
        "门店名称": "麓谷优选超市（麓谷店）",
        "行政区划代码": "430104",
        "经营地址": "湖南省长沙市岳麓区麓谷大道627号",
        "行业类别": "商场超市",
        "所属商圈": "",
        "承诺类型": "线下无理由退货承诺",
        "承诺内容": "店内服装、鞋帽、家居用品支持7天无理由退货",
        "退货期限（天）": "7",
        "退货范围": "服装、鞋帽、家居用品（食品、贴身衣物除外）",
        "退货条件": "商品完好、吊牌齐全，凭购物小票办理",
        "承诺开始日期": "2026-01-05",
        "承诺结束日期": "2027-01-04",
        "状态": "已公示",
        "联系人": "王建国",
        "联系电话": "13807311234",
    }
    row.update(changes)
    return row


def lugu_pledge_row(**changes):
    """The supermarket's second pledge: merchant columns blank except the required ones."""
    return lugu_return_row(
        **{
            "门店名称": "",
            "行业类别": "",
            "承诺类型": "放心消费承诺",
            "承诺内容": "质量安全放心、交易公平放心、经营管理放心、服务承诺放心、消费维权放心",
            "退货期限（天）": "",
            "退货范围": "",
            "退货条件": "",
            "承诺开始日期": "2026/1/5",
            "承诺结束日期": "",
            "状态": "",
            "联系人": "",
            "联系电话": "",
            **changes,
        }
    )


def furong_row(**changes):
    row = {
        "统一社会信用代码": FURONG,
        "经营者名称": "长沙市芙蓉区湘味小厨餐饮店",
        "门店名称": "湘味小厨（五一广场店）",
        "行政区划代码": "430102",
        "经营地址": "湖南省长沙市芙蓉区五一大道389号",
        "行业类别": "餐饮住宿",
        "所属商圈": "五一商圈",
        "承诺类型": "快速响应双承诺",
        "承诺内容": "接到诉求45分钟内答复、90分钟内到场处理",
        "退货期限（天）": "",
        "退货范围": "",
        "退货条件": "",
        "承诺开始日期": "2026年3月1日",
        "承诺结束日期": "2028.2.29",
        "状态": "在册",
        "联系人": "李秀梅",
        "联系电话": "0731-84561234",
    }
    row.update(changes)
    return row


def csv_bytes(rows, headers=HEADERS, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in HEADERS])
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def wuyi():
    return make_district("五一商圈", region="430102")


@pytest.fixture
def run_import(tmp_path):
    return command_on_files(tmp_path, "import_merchants", "商家名单.csv")


def import_log(merchant):
    return list(
        ModelLogEntry.objects.filter(object_id=str(merchant.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- a good file ----------------------------------------------------------------------------


def test_several_rows_build_one_merchant_with_two_pledges(run_import, wuyi):
    rows = [lugu_return_row(), lugu_pledge_row(), furong_row()]

    output = run_import(csv_bytes(rows))

    assert "导入完成。" in output
    assert "共读取3行数据，涉及2家商家。" in output
    assert "商家：新建2家，更新0家，未变化0家。" in output
    assert "承诺：新建3条，更新0条，未变化0条。" in output
    lugu = Merchant.objects.get(credit_code=LUGU)
    assert lugu.display_name == "长沙市岳麓区麓谷优选超市有限公司（麓谷优选超市（麓谷店））"
    assert lugu.region.full_name == "湖南省长沙市岳麓区"
    assert lugu.category.name == "商场超市"
    assert lugu.registry_status == Merchant.RegistryStatus.LISTED
    assert (lugu.contact_person, lugu.contact_phone) == ("王建国", "13807311234")
    assert lugu.current_code is not None  # it can get its QR poster straight away
    pledges = {pledge.pledge_type.name: pledge for pledge in lugu.pledges.all()}
    safe, returns = pledges["放心消费承诺"], pledges["线下无理由退货承诺"]
    assert (safe.pledge_type.name, safe.starts_on, safe.ends_on) == (
        "放心消费承诺",
        datetime.date(2026, 1, 5),
        None,  # blank end date: long-term
    )
    assert (returns.pledge_type.name, returns.return_days) == ("线下无理由退货承诺", 7)
    assert returns.return_scope == "服装、鞋帽、家居用品（食品、贴身衣物除外）"
    # Wagtail's "usage" of the region and pledge types still counts imported merchants.
    references = ReferenceIndex.get_references_for_object(lugu)
    assert {ref.to_object_id for ref in references} >= {"430104", str(returns.pledge_type_id)}
    furong = Merchant.objects.get(credit_code=FURONG)
    assert furong.district == wuyi
    assert furong.pledges.get().ends_on == datetime.date(2028, 2, 29)  # from 2028.2.29


def test_reimporting_the_same_file_changes_nothing(run_import, wuyi):
    data = csv_bytes([lugu_return_row(), lugu_pledge_row(), furong_row()])
    run_import(data)
    before = dict(Merchant.objects.values_list("credit_code", "updated_at"))
    log_entries = ModelLogEntry.objects.count()

    output = run_import(data)

    assert "商家：新建0家，更新0家，未变化2家。" in output
    assert "承诺：新建0条，更新0条，未变化3条。" in output
    assert dict(Merchant.objects.values_list("credit_code", "updated_at")) == before
    assert ModelLogEntry.objects.count() == log_entries
    assert Pledge.objects.count() == 3


def test_a_changed_row_updates_only_that_merchant_and_logs_one_edit(run_import, wuyi):
    run_import(csv_bytes([lugu_return_row(), furong_row()]))
    furong_updated = Merchant.objects.get(credit_code=FURONG).updated_at

    output = run_import(
        csv_bytes(
            [
                lugu_return_row(
                    **{"经营地址": "湖南省长沙市岳麓区麓谷大道658号", "退货期限（天）": "15"}
                ),
                furong_row(),
            ]
        )
    )

    assert "商家：新建0家，更新1家，未变化1家。" in output
    assert "承诺：新建0条，更新1条，未变化1条。" in output
    lugu = Merchant.objects.get(credit_code=LUGU)
    assert lugu.address == "湖南省长沙市岳麓区麓谷大道658号"
    assert lugu.pledges.get().return_days == 15
    assert import_log(lugu) == ["wagtail.create", "wagtail.edit"]
    furong = Merchant.objects.get(credit_code=FURONG)
    assert import_log(furong) == ["wagtail.create"]
    assert furong.updated_at == furong_updated


def test_blank_merchant_columns_keep_what_the_registry_already_has(run_import):
    existing = make_merchant(
        credit_code=LUGU, registry_status=Merchant.RegistryStatus.LISTED, pledges=[]
    )

    shop_name = existing.shop_name

    run_import(csv_bytes([lugu_pledge_row()]))

    existing.refresh_from_db()
    assert existing.contact_phone == "13807311234"  # the factory's number, not wiped
    assert existing.shop_name == shop_name
    assert [p.pledge_type.name for p in existing.pledges.all()] == ["放心消费承诺"]


def test_removed_and_expired_status_words(run_import, wuyi):
    rows = [
        lugu_return_row(**{"状态": "摘牌"}),
        furong_row(
            **{"状态": "已过期", "承诺开始日期": "2023-03-01", "承诺结束日期": "2024-02-29"}
        ),
    ]

    run_import(csv_bytes(rows))

    removed = Merchant.objects.get(credit_code=LUGU)
    assert removed.public_status() == PublicStatus.REMOVED
    assert removed.status_reason == "批量导入：状态为摘牌"
    assert removed.status_changed_on is not None
    expired = Merchant.objects.get(credit_code=FURONG)
    assert expired.registry_status == Merchant.RegistryStatus.LISTED
    assert expired.public_status() == PublicStatus.EXPIRED  # from the dates, not the word


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"统一社会信用代码": LUGU[:17] + ("1" if LUGU.endswith("0") else "0")},
            f"统一社会信用代码校验位错误（第18位应为{LUGU[17]}）",
        ),
        ({"行政区划代码": "430199"}, "行政区划代码“430199”不存在"),
        ({"行政区划代码": "430100"}, "行政区划代码“430100”（长沙市）不是县级区划"),
        (
            {"承诺开始日期": "2026-06-01", "承诺结束日期": "2026-05-31"},
            "承诺结束日期（2026年5月31日）早于开始日期（2026年6月1日）",
        ),
        ({"退货期限（天）": "5"}, "退货期限为5天，不得少于7天"),
        ({"退货期限（天）": ""}, "“线下无理由退货承诺”须填写退货期限（不少于7天）"),
        ({"承诺开始日期": "下月初"}, "承诺开始日期“下月初”无法识别"),
        ({"承诺结束日期": "2026-02-30"}, "承诺结束日期“2026-02-30”无法识别"),
        ({"承诺类型": "七天退货承诺"}, "承诺类型“七天退货承诺”不存在，可填：放心消费承诺、"),
        ({"行业类别": "水果"}, "行业类别“水果”不在已有类别中（商场超市、餐饮住宿、"),
        ({"所属商圈": "黄兴路步行街"}, "所属商圈“黄兴路步行街”不存在"),
        ({"状态": "待定"}, "无法识别的状态“待定”"),
    ],
)
def test_a_bad_row_is_refused_with_its_line_number(run_import, changes, reason):
    data = csv_bytes([furong_row(**{"所属商圈": ""}), lugu_return_row(**changes)])

    message = refusal(run_import, data)

    assert "整个文件未导入" in message
    assert f"第3行：{reason}" in message
    assert "第2行" not in message
    assert not Merchant.objects.exists()  # the good row 2 was not written either


def test_every_bad_row_is_listed_together_and_nothing_is_written(run_import):
    rows = [
        furong_row(**{"所属商圈": ""}),
        lugu_return_row(**{"统一社会信用代码": "91430104MA4L0000"}),
        lugu_return_row(**{"统一社会信用代码": HETANG, "行政区划代码": "439999"}),
        lugu_return_row(**{"承诺开始日期": "2026-03-01", "承诺结束日期": "2026-02-01"}),
        lugu_pledge_row(
            **{"承诺类型": "线下无理由退货承诺", "退货期限（天）": "3", "退货范围": "服装"}
        ),
        lugu_pledge_row(**{"承诺开始日期": "2026年13月1日"}),
    ]

    message = refusal(run_import, csv_bytes(rows))

    assert "文件中有5行存在问题" in message
    lines = message.splitlines()[1:]
    assert lines == [
        "第3行：统一社会信用代码应为18位，实为16位",
        "第4行：行政区划代码“439999”不存在",
        "第5行：承诺结束日期（2026年2月1日）早于开始日期（2026年3月1日）",
        "第6行：退货期限为3天，不得少于7天",
        "第7行：承诺开始日期“2026年13月1日”无法识别，请写成2026-01-05或2026年1月5日",
    ]
    assert not Merchant.objects.exists()
    assert not ModelLogEntry.objects.exists()


def test_rows_of_one_merchant_must_agree(run_import):
    rows = [
        lugu_return_row(),
        lugu_pledge_row(
            **{"经营者名称": "长沙市岳麓区麓谷优选商贸有限公司", "联系电话": "13900000000"}
        ),
    ]

    message = refusal(run_import, csv_bytes(rows))

    assert "第3行：与第2行是同一统一社会信用代码，但经营者名称、联系电话不一致" in message


def test_the_same_pledge_twice_is_refused(run_import):
    message = refusal(run_import, csv_bytes([lugu_return_row(), lugu_return_row()]))

    assert "第3行：与第2行是同一项承诺（同一商家、承诺类型和开始日期），请合并为一行" in message


def test_a_missing_required_column_is_named(run_import):
    headers = [h for h in HEADERS if h not in ("行政区划代码", "承诺开始日期")]

    message = refusal(run_import, csv_bytes([lugu_return_row()], headers=headers))

    assert "表头缺少必需的列：行政区划代码、承诺开始日期" in message


def test_dry_run_reports_and_writes_nothing(run_import, wuyi):
    output = run_import(
        csv_bytes([lugu_return_row(), lugu_pledge_row(), furong_row()]), "--dry-run"
    )

    assert "检查通过（仅检查，未写入任何数据）" in output
    assert "商家：新建2家，更新0家，未变化0家。" in output
    assert not Merchant.objects.exists()
    assert not ModelLogEntry.objects.exists()


# --- encodings, formats and headers ---------------------------------------------------------


def test_gb18030_file_from_excel(run_import):
    data = csv_bytes([lugu_return_row()], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8

    run_import(data)

    assert (
        Merchant.objects.get(credit_code=LUGU).registered_name == "长沙市岳麓区麓谷优选超市有限公司"
    )


def test_utf8_file_with_bom(run_import):
    data = csv_bytes([lugu_return_row()], encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")

    run_import(data)

    assert Merchant.objects.get(credit_code=LUGU).pledges.get().return_days == 7


def test_xlsx_with_a_title_row_date_cells_and_numbers(run_import, wuyi):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2026年第一批放心消费承诺单位名单"])
    sheet.append([f"{h}*" if h == "统一社会信用代码" else h for h in HEADERS])
    for row in (lugu_return_row(), furong_row()):
        cells = [row[h] for h in HEADERS]
        cells[HEADERS.index("行政区划代码")] = int(row["行政区划代码"])  # typed as a number
        cells[HEADERS.index("承诺开始日期")] = datetime.datetime(2026, 1, 5)  # a real date cell
        cells[HEADERS.index("退货期限（天）")] = float(row["退货期限（天）"] or 0) or None
        sheet.append(cells)
    sheet.cell(row=3, column=HEADERS.index("联系电话") + 1, value=13807311234)
    buffer = io.BytesIO()
    workbook.save(buffer)

    output = run_import(buffer.getvalue(), name="名单.xlsx")

    assert "商家：新建2家" in output
    lugu = Merchant.objects.get(credit_code=LUGU)
    assert (lugu.region_id, lugu.contact_phone) == ("430104", "13807311234")
    assert lugu.pledges.get().starts_on == datetime.date(2026, 1, 5)
    assert lugu.pledges.get().return_days == 7


def test_xlsx_errors_point_at_the_sheet_row(run_import):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([lugu_return_row()[h] for h in HEADERS])
    sheet.append([])  # a blank row still counts, as in Excel's row numbers
    sheet.append(
        [
            lugu_return_row(**{"统一社会信用代码": HETANG, "行政区划代码": "430299"})[h]
            for h in HEADERS
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    message = refusal(run_import, buffer.getvalue())

    assert "第4行：行政区划代码“430299”不存在" in message


def test_english_alias_headers_and_full_width_brackets(run_import):
    english = [ENGLISH[h] for h in HEADERS]
    run_import(csv_bytes([lugu_return_row()], headers=english))
    chinese_variant = [h.replace("（天）", "（天）") for h in HEADERS]
    output = run_import(csv_bytes([lugu_return_row()], headers=chinese_variant))

    assert "商家：新建0家，更新0家，未变化1家。" in output
    assert Merchant.objects.get(credit_code=LUGU).pledges.get().return_days == 7


def test_command_records_the_user_in_the_audit_log(run_import, django_user_model):
    django_user_model.objects.create_user("zhangli", password="pw-123456")

    run_import(csv_bytes([lugu_return_row()]), "--user", "zhangli")

    entry = ModelLogEntry.objects.get(object_id=str(Merchant.objects.get().pk))
    assert (entry.action, entry.user.username) == ("wagtail.create", "zhangli")


# --- the admin upload page ------------------------------------------------------------------

IMPORT_URL = "merchants_import"


def upload(client, data, name="商家名单.csv", **fields):
    return admin_upload.upload(client, IMPORT_URL, data, name, **fields)


def test_admin_page_offers_the_upload_form_and_the_template(admin_client):
    page = admin_client.get(reverse(IMPORT_URL)).content.decode()
    assert "仅检查，不写入" in page
    assert "下载导入模板（CSV）" in page

    response = admin_client.get(reverse(IMPORT_URL), {"template": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    header, example = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header == HEADERS
    assert example[HEADERS.index("承诺类型")] == "线下无理由退货承诺"
    # The example row itself passes the checks, so the template is a working starting point.
    checked = upload(admin_client, content, dry_run="on").content.decode()
    assert "商家：新建1家，更新0家，未变化0家。" in checked
    assert not Merchant.objects.exists()


def test_admin_upload_imports_and_logs_the_uploading_user(admin_client, admin_user, wuyi):
    response = upload(admin_client, csv_bytes([lugu_return_row(), lugu_pledge_row(), furong_row()]))

    # The upload is imported by a background task; the editor lands on its job's page.
    job = ImportJob.objects.get()
    assert response.redirect_chain == [(f"{reverse(IMPORT_URL)}?job={job.pk}", 302)]
    assert (job.kind, job.status, job.uploaded_by) == ("merchants", "finished", admin_user)
    page = response.content.decode()
    assert response.status_code == 200
    assert "导入完成。" in page
    assert "商家：新建2家，更新0家，未变化0家。" in page
    assert "承诺：新建3条，更新0条，未变化0条。" in page
    entries = ModelLogEntry.objects.filter(action="wagtail.create")
    assert sorted(entries.values_list("label", flat=True)) == [
        "长沙市岳麓区麓谷优选超市有限公司（麓谷优选超市（麓谷店））",
        "长沙市芙蓉区湘味小厨餐饮店（湘味小厨（五一广场店））",
    ]
    assert {entry.user for entry in entries} == {admin_user}


def test_admin_upload_lists_every_bad_row_and_writes_nothing(admin_client):
    rows = [
        lugu_return_row(**{"退货期限（天）": "3"}),
        furong_row(**{"行政区划代码": "430188", "所属商圈": ""}),
    ]

    page = upload(admin_client, csv_bytes(rows, encoding="gb18030")).content.decode()

    assert "文件中有2行存在问题，整个文件未导入" in page
    assert "<td>第2行</td><td>退货期限为3天，不得少于7天</td>" in page
    assert "<td>第3行</td><td>行政区划代码“430188”不存在</td>" in page
    assert not Merchant.objects.exists()


def test_admin_dry_run_writes_nothing(admin_client):
    page = upload(admin_client, csv_bytes([lugu_return_row()]), dry_run="on").content.decode()

    assert "检查通过（仅检查，未写入任何数据）" in page
    assert not Merchant.objects.exists()


def test_admin_upload_of_an_unreadable_file_says_so(admin_client):
    page = upload(admin_client, b"\xd0\xcf\x11\xe0" + b"\0" * 64, name="名单.xls").content.decode()

    assert "不支持旧版Excel格式（.xls）" in page


def test_non_staff_users_cannot_import(client, django_user_model):
    django_user_model.objects.create_user("visitor", password="pw-123456")
    client.login(username="visitor", password="pw-123456")

    response = upload(client, csv_bytes([lugu_return_row()]))

    (location, status), *_ = response.redirect_chain
    assert status == 302 and reverse("wagtailadmin_login") in location
    assert not Merchant.objects.exists()


@pytest.mark.parametrize("extra_permissions", [[], ["add_merchant"]])
def test_staff_without_add_and_change_permissions_get_403(
    client, django_user_model, extra_permissions
):
    admin_upload.log_in_staff(client, django_user_model, *extra_permissions)

    response = upload(client, csv_bytes([lugu_return_row()]))

    assert response.status_code == 403
    assert "您没有新增和修改承诺商家的权限" in response.content.decode()
    assert not Merchant.objects.exists()
