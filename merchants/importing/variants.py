"""What counties write in the merchant list's 状态, 行业类别 and 承诺类型 cells: variant → name.

Data, not rules: the README lists these tables (导入 → 常见写法), and a test keeps the two in
step. A cell is matched on its NFKC key (``common.import_variants``), so full-width letters and
stray spaces need no entry here; a name of the reference data itself always matches, and a
variant whose name an editor has since renamed or removed is ignored.
"""

# 状态 → the registry status (``Merchant.RegistryStatus`` values). Whether a listed pledge has
# expired follows from its dates, so 已过期 is 已公示.
STATUS_VARIANTS = {
    "pending": ("待审核", "审核中", "待审", "未审核", "申报中"),
    "listed": (
        "已公示",
        "公示",
        "公示中",
        "正常",
        "有效",
        "承诺有效",
        "在期",
        "在册",
        "已过期",
        "过期",
    ),
    "suspended": ("已暂停", "暂停", "中止", "已中止", "暂停公示"),
    "removed": (
        "已摘牌",
        "摘牌",
        "撤销",
        "已撤销",
        "注销",
        "已注销",
        "撤回",
        "已撤回",
        "取消",
        "已取消",
    ),
}

# 行业类别: variant → the category seeded by migration merchants/0002 (行业类别 ends in 类 too:
# 服装鞋帽类 is 服装鞋帽 without an entry).
CATEGORY_VARIANTS = {
    "超市": "商场超市",
    "商场": "商场超市",
    "商超": "商场超市",
    "百货": "商场超市",
    "便利店": "商场超市",
    "餐饮": "餐饮住宿",
    "餐饮服务": "餐饮住宿",
    "餐饮业": "餐饮住宿",
    "住宿": "餐饮住宿",
    "住宿餐饮": "餐饮住宿",
    "酒店": "餐饮住宿",
    "宾馆": "餐饮住宿",
    "服装": "服装鞋帽",
    "服饰": "服装鞋帽",
    "鞋帽": "服装鞋帽",
    "服装服饰": "服装鞋帽",
    "家电": "家用电器",
    "电器": "家用电器",
    "通讯": "通讯器材",
    "通信器材": "通讯器材",
    "手机": "通讯器材",
    "珠宝": "珠宝首饰",
    "首饰": "珠宝首饰",
    "金银珠宝": "珠宝首饰",
    "首饰及珠宝": "珠宝首饰",
    "家居": "家居建材",
    "建材": "家居建材",
    "家具": "家居建材",
    "汽车": "汽车销售及维修",
    "汽车销售": "汽车销售及维修",
    "汽车维修": "汽车销售及维修",
    "汽修": "汽车销售及维修",
    "美容": "美容美发",
    "美发": "美容美发",
    "美容美发洗浴": "美容美发",
    "教育": "教育培训",
    "培训": "教育培训",
    "文化娱乐": "文化娱乐体育",
    "文体娱乐": "文化娱乐体育",
    "药店": "药品医疗器械",
    "药房": "药品医疗器械",
    "药品": "药品医疗器械",
    "医药": "药品医疗器械",
    "医疗器械": "药品医疗器械",
    "食品": "食品销售",
    "食品经营": "食品销售",
    "旅游": "旅游服务",
    "旅行社": "旅游服务",
    "其它": "其他",
}
CATEGORY_SUFFIXES = ("类",)

# 承诺类型: variant → the pledge type seeded by migration merchants/0002.
PLEDGE_TYPE_VARIANTS = {
    "放心消费": "放心消费承诺",
    "放心消费承诺单位": "放心消费承诺",
    "无理由退货承诺": "线下无理由退货承诺",
    "无理由退货": "线下无理由退货承诺",
    "线下无理由退货": "线下无理由退货承诺",
    "七日无理由退货": "线下无理由退货承诺",
    "双承诺": "快速响应双承诺",
    "快速响应": "快速响应双承诺",
}
