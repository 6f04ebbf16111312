"""The columns of the merchant import file: Chinese headers, English aliases, required ones.

The order is the order of the downloadable template, and of the issue that asked for it.
"""

from common.tabular import Column, ColumnSet

COLUMN_LIST = [
    Column(
        "credit_code",
        "统一社会信用代码",
        ("信用代码", "社会信用代码"),
        required=True,
        example="91430104MA4L00001C",
    ),
    Column(
        "registered_name",
        "经营者名称",
        ("企业名称", "单位名称"),
        required=True,
        example="长沙市岳麓区麓谷优选超市有限公司",
    ),
    Column("shop_name", "门店名称", ("店铺名称", "门店"), example="麓谷优选超市（麓谷店）"),
    # A county may name its region instead of giving the code (岳麓区): the same column.
    Column(
        "region_code",
        "行政区划代码",
        ("区划代码", "行政区划", "所属区县", "区县"),
        required=True,
        example="430104",
    ),
    Column(
        "address",
        "经营地址",
        ("地址", "经营场所"),
        required=True,
        example="湖南省长沙市岳麓区麓谷大道627号",
    ),
    Column("category", "行业类别", ("行业", "类别"), example="商场超市"),
    Column("district", "所属商圈", ("商圈", "所属商圈/街区/市场", "所属街区"), example=""),
    Column("pledge_type", "承诺类型", (), required=True, example="线下无理由退货承诺"),
    Column(
        "pledge_content",
        "承诺内容",
        ("content",),
        example="店内服装、鞋帽、家居用品支持7天无理由退货",
    ),
    Column("return_days", "退货期限（天）", ("退货期限", "退货天数"), example="7"),
    Column("return_scope", "退货范围", (), example="服装、鞋帽、家居用品（食品、贴身衣物除外）"),
    Column(
        "return_conditions",
        "退货条件",
        (),
        example="商品完好、吊牌齐全，凭购物小票办理",
    ),
    Column("starts_on", "承诺开始日期", ("开始日期",), required=True, example="2026-01-05"),
    Column("ends_on", "承诺结束日期", ("结束日期",), example="2027-01-04"),
    Column("status", "状态", ("登记状态",), example="已公示"),
    Column("contact_person", "联系人", ("负责人",), example="王建国"),
    Column("contact_phone", "联系电话", ("电话",), example="13807311234"),
]
# Optional and not in the template: a file may explain a suspension or removal.
EXTRA_COLUMNS = [Column("status_reason", "状态原因", ("暂停或摘牌原因", "摘牌原因"))]

COLUMN_SET = ColumnSet(COLUMN_LIST, EXTRA_COLUMNS, anchor="credit_code")
COLUMNS = COLUMN_SET.by_field
