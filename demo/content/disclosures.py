"""Word lists for disclosed complaints: the disclosure benchmark's rows, and the demo's settings.

Plain data, no Django. ``demo/disclosure_rows.py`` builds the benchmark's rows of the import
format from the lists below (``bench/disclosures.py``, a million rows; their summaries carry the
phone numbers, names and ID numbers the import must mask). The demo's records are made by
``demo/disclosures.py`` from the trades of ``trades.py`` instead, already anonymous, with the
``DEMO_`` settings at the end; both use ``HEADERS`` and ``RESULTS``.
"""

# The import file's headers, in the order of ``disclosures.importing.columns.COLUMN_LIST``.
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

# What a complaint is about, by category: (fragment, problem type). Frequencies follow from
# how often each category and fragment is drawn: 退货 (also in the request 要求退货退款) ends up
# in about a third of the rows, 预付卡 in a tenth, 跑路 in one in twenty: a hard case for facets.
FRAGMENTS = {
    "一般食品": [
        ("购买的食品已过保质期", "质量"),
        ("外卖食品中发现异物", "安全"),
        ("超市标价与结算价格不一致", "价格"),
        ("商品临期却未作提示，要求退货被拒", "售后服务"),
    ],
    "服装鞋帽": [
        ("网购服装与页面描述不符，商家拒绝七日无理由退货", "售后服务"),
        ("鞋子穿了一周开胶，要求退货", "质量"),
        ("直播带货宣传纯棉，实际为化纤面料", "虚假宣传"),
    ],
    "家居用品": [
        ("定制家具尺寸与合同不符", "合同"),
        ("床垫有刺鼻气味，要求退货退款", "质量"),
        ("商场促销活动先涨价后打折", "价格"),
    ],
    "交通工具": [
        ("二手车隐瞒事故记录", "虚假宣传"),
        ("汽车4S店强制搭售保险", "合同"),
        ("电动自行车电池续航与宣传不符", "虚假宣传"),
    ],
    "家用电器": [
        ("空调安装后收取额外材料费", "价格"),
        ("冰箱使用三个月出现故障，要求退货", "质量"),
        ("热水器漏水商家推诿维修", "售后服务"),
    ],
    "通讯器材": [
        ("手机维修后出现新的故障", "售后服务"),
        ("新手机疑似翻新机，要求退货", "假冒"),
        ("网购耳机拒绝七日无理由退货", "售后服务"),
    ],
    "药械妆": [
        ("保健食品宣传能治疗疾病", "虚假宣传"),
        ("化妆品使用后皮肤过敏，要求退货退款", "质量"),
        ("药店销售过期药品", "安全"),
    ],
    "首饰及珠宝": [
        ("黄金饰品克重不足", "计量"),
        ("购买的翡翠手镯疑似假货", "假冒"),
    ],
    "烟酒和饮料": [
        ("购买的白酒疑似假酒", "假冒"),
        ("饮料标注零糖实际含糖", "虚假宣传"),
    ],
    "农用生产资料": [
        ("购买的种子发芽率低", "质量"),
        ("化肥有效成分不足", "质量"),
    ],
    "餐饮住宿": [
        ("餐饮店设置最低消费", "价格"),
        ("酒店预订后无法入住且不退定金", "合同"),
        ("餐厅储值卡即预付卡余额无法使用", "合同"),
    ],
    "教育培训": [
        ("教育培训机构拒绝退还剩余课时费", "合同"),
        ("培训机构办理预付卡后关门跑路", "合同"),
        ("承诺包过的培训课程未兑现", "虚假宣传"),
    ],
    "美容美发洗浴": [
        ("美容院办理预付卡后变更服务项目", "合同"),
        ("理发店强行推销办卡", "人格尊严"),
        ("美容店收取预付卡费用后关门跑路", "合同"),
    ],
    "文化娱乐体育": [
        ("演出临时取消未退票款", "合同"),
        ("游乐场设施存在安全隐患", "安全"),
    ],
    "物业服务": [
        ("物业服务收费不透明", "价格"),
        ("物业公司不履行维修义务", "合同"),
    ],
    "装修建材服务": [
        ("装修公司拖延工期并增加费用", "合同"),
        ("瓷砖色差明显，要求退货", "质量"),
    ],
    "旅游服务": [
        ("旅行社擅自变更行程安排", "合同"),
        ("导游强制游客购物", "人格尊严"),
    ],
    "互联网服务": [
        ("网购商品拒绝七日无理由退货", "售后服务"),
        ("直播带货商品与宣传不符，要求退货", "虚假宣传"),
        ("平台自动续费未提示", "合同"),
    ],
    "电信服务": [
        ("宽带套餐擅自变更", "合同"),
        ("话费扣费不明", "价格"),
    ],
    "维修服务": [
        ("家电维修乱收费", "价格"),
        ("手机维修更换非原装配件", "假冒"),
    ],
    "健身服务": [
        ("健身房收取预付卡费用后关门跑路", "合同"),
        ("健身房预付卡拒绝办理退费", "合同"),
        ("私教课程与宣传不符", "虚假宣传"),
    ],
    "医疗服务": [
        ("医美项目效果与宣传不符", "虚假宣传"),
        ("口腔诊所收费高于公示价格", "价格"),
    ],
}
# Category weights: goods and the usual hot services get most complaints.
CATEGORY_WEIGHTS = {
    "一般食品": 12,
    "服装鞋帽": 10,
    "家居用品": 5,
    "交通工具": 5,
    "家用电器": 6,
    "通讯器材": 6,
    "药械妆": 4,
    "首饰及珠宝": 1,
    "烟酒和饮料": 2,
    "农用生产资料": 1,
    "餐饮住宿": 8,
    "教育培训": 6,
    "美容美发洗浴": 6,
    "文化娱乐体育": 2,
    "物业服务": 3,
    "装修建材服务": 3,
    "旅游服务": 2,
    "互联网服务": 10,
    "电信服务": 3,
    "维修服务": 2,
    "健身服务": 4,
    "医疗服务": 2,
}
CONTEXT = [
    "消费者反映",
    "投诉人称",
    "消费者于{date}在该店消费，",
    "消费者通过网络平台下单，",
    "",
]
# Personal data as people type it; the import masks all of it.
PERSONAL = [
    "本人{name}，联系电话{mobile}。",
    "消费者{name}反映，",
    "请回电{mobile}。",
    "我叫{name}，身份证号{id_number}。",
]
REQUESTS = [
    "要求退货退款",
    "要求退还剩余费用",
    "要求赔偿损失",
    "要求履行合同约定",
    "要求商家道歉并整改",
    "要求退一赔三",
    "要求维修或更换",
]
# Rare enough to match a few dozen rows in a million.
RARE_FRAGMENT = "潜水培训中心"
RARE_EVERY = 25_000
RESULTS = [("调解成功", 70), ("调解不成功", 12), ("终止调解", 8), ("不予受理", 6), ("撤诉", 4)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红"
BRANDS_A = "湘麓芙岳星福金银华盛恒瑞鑫隆鼎旺佳康乐美悦和丰泰宏润达源"
BRANDS_B = "江南城阳光华辉通利兴发祥顺安新宝富荣昌德胜茂嘉晟鸿凯"
KINDS = {
    "一般食品": "食品商行",
    "服装鞋帽": "服饰有限公司",
    "家居用品": "家居有限公司",
    "交通工具": "汽车销售服务有限公司",
    "家用电器": "电器有限公司",
    "通讯器材": "通讯设备有限公司",
    "药械妆": "大药房有限公司",
    "首饰及珠宝": "珠宝有限公司",
    "烟酒和饮料": "酒业有限公司",
    "农用生产资料": "农资有限公司",
    "餐饮住宿": "餐饮管理有限公司",
    "教育培训": "教育咨询有限公司",
    "美容美发洗浴": "美容美发店",
    "文化娱乐体育": "文化传媒有限公司",
    "物业服务": "物业管理有限公司",
    "装修建材服务": "装饰工程有限公司",
    "旅游服务": "国际旅行社有限公司",
    "互联网服务": "电子商务有限公司",
    "电信服务": "通信服务营业厅",
    "维修服务": "家电维修服务部",
    "健身服务": "健身管理有限公司",
    "医疗服务": "医疗美容门诊部",
}
STREETS = ["麓谷大道", "五一大道", "解放西路", "人民中路", "建设路", "韶山北路", "迎宾路", "中山路"]
# A merchant name the query set looks for (the first respondent's brand is made distinctive).
MERCHANT_BRAND = "麓谷优选"


# --- load_demo only ---------------------------------------------------------------------------
# The demo's complaints come from the trades (``content/trades.py``), not from the lists above:
# each fits the business it names, and reads as a published, already anonymous record.

DEMO_COUNT = 3000
DEMO_SEED = 315_12315
# Stable complaint numbers (YS = 演示): the loader finds a record again by its number and
# creates only the missing ones.
DEMO_NUMBER_FORMAT = "YS43{serial:08d}"
DEMO_FILE_NAME = "演示数据-投诉公示.csv"
# Businesses beside the demo merchants. The merchants are put first in the long tail (two for
# every other business), so more than half the records name one of them.
DEMO_OTHER_RESPONDENTS = 600
# How a published summary begins: the consumer is never named (王某 is as far as it goes).
DEMO_OPENINGS = [
    "消费者反映，",
    "投诉人称，",
    "消费者{surname}某反映，",
    "投诉人{surname}某称，",
    "消费者于{date}在该经营者处消费，",
]
DEMO_SURNAMES = "王李张刘陈杨黄赵周吴"
# Added to some summaries, after the complaint itself.
DEMO_FOLLOW_UPS = ["", "", "", "与经营者多次协商未果。", "经营者未在承诺时限内答复。"]
