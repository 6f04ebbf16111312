"""The columns of the complaint-disclosure import file: Chinese headers, English aliases.

The order is the order of the issue that asked for it and of the downloadable template.
"""

from common.tabular import Column, ColumnSet

COLUMN_LIST = [
    Column(
        "complaint_number",
        "投诉编号",
        ("complaint_no", "number", "编号", "投诉单号"),
        required=True,
        example="TS4301042026010500123",
    ),
    Column(
        "respondent_name",
        "被投诉人名称",
        ("respondent", "被投诉人", "被投诉单位", "被投诉企业名称"),
        required=True,
        example="长沙市岳麓区麓谷优选超市有限公司",
    ),
    Column(
        "credit_code",
        "统一社会信用代码",
        ("信用代码", "社会信用代码"),
        example="91430104MA4L00001C",
    ),
    # A county may name its region instead of giving the code (岳麓区): the same column.
    Column(
        "region_code",
        "行政区划代码",
        ("region", "区划代码", "行政区划", "所属区县", "区县"),
        required=True,
        example="430104",
    ),
    Column(
        "respondent_address",
        "被投诉人地址",
        ("address", "地址", "被投诉单位地址"),
        example="湖南省长沙市岳麓区麓谷大道627号",
    ),
    Column(
        "category", "商品或服务类别", ("商品服务类别", "类别"), required=True, example="家用电器"
    ),
    Column("problem_type", "投诉问题类型", ("问题类型",), required=True, example="售后服务"),
    Column(
        "summary",
        "投诉内容摘要",
        ("投诉内容", "摘要", "投诉问题"),
        required=True,
        example="2025年12月20日在该店购买电饭煲一台，使用一周后无法加热，要求维修被拒绝。",
    ),
    Column("consumer_request", "消费者诉求", ("request", "诉求"), example="退货退款"),
    Column(
        "complained_on",
        "投诉日期",
        ("complaint_date", "登记日期"),
        required=True,
        example="2026-01-05",
    ),
    Column(
        "handling_department",
        "处理部门",
        ("department", "处理单位", "承办部门"),
        required=True,
        example="长沙市岳麓区市场监督管理局",
    ),
    Column("result", "处理结果", ("办理结果",), required=True, example="调解成功"),
    Column("closed_on", "办结日期", ("closing_date", "办结时间"), example="2026-01-16"),
    Column(
        "recovered_amount",
        "挽回经济损失（元）",
        ("recovered", "挽回经济损失", "挽回损失（元）", "挽回金额"),
        example="299.00",
    ),
    Column("disclosed_on", "公示日期", ("disclosure_date",), required=True, example="2026-01-20"),
    Column(
        "display_until",
        "公示截止日期",
        ("display_until_date", "公示截止", "公示截止时间"),
        required=True,
        example="2027-01-19",
    ),
]

COLUMN_SET = ColumnSet(COLUMN_LIST, anchor="complaint_number")
COLUMNS = COLUMN_SET.by_field
