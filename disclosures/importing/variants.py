"""What counties write in a disclosure file's 类别, 问题类型 and 处理结果 cells: variant → name.

Data, not rules: the README lists these tables (导入 → 常见写法), and a test keeps the two in
step. A cell is matched on its NFKC key (``common.import_variants``), so full-width letters and
stray spaces need no entry here; a name of the reference data itself always matches, and a
variant whose name an editor has since renamed or removed is ignored. The names are the 12315
statistics' (migration disclosures/0002).
"""

# 商品或服务类别 (服装鞋帽类 is 服装鞋帽 without an entry).
CATEGORY_VARIANTS = {
    "食品": "一般食品",
    "服装": "服装鞋帽",
    "服饰": "服装鞋帽",
    "鞋帽": "服装鞋帽",
    "家居": "家居用品",
    "日用品": "家居用品",
    "汽车": "交通工具",
    "电动车": "交通工具",
    "家电": "家用电器",
    "电器": "家用电器",
    "手机": "通讯器材",
    "通讯": "通讯器材",
    "通信器材": "通讯器材",
    "药品": "药械妆",
    "医疗器械": "药械妆",
    "化妆品": "药械妆",
    "药品医疗器械": "药械妆",
    "珠宝": "首饰及珠宝",
    "首饰": "首饰及珠宝",
    "珠宝首饰": "首饰及珠宝",
    "烟酒": "烟酒和饮料",
    "酒类": "烟酒和饮料",
    "饮料": "烟酒和饮料",
    "农资": "农用生产资料",
    "餐饮": "餐饮住宿",
    "餐饮服务": "餐饮住宿",
    "住宿": "餐饮住宿",
    "住宿服务": "餐饮住宿",
    "住宿餐饮": "餐饮住宿",
    "教育": "教育培训",
    "培训": "教育培训",
    "教育培训服务": "教育培训",
    "美容美发": "美容美发洗浴",
    "美容": "美容美发洗浴",
    "美发": "美容美发洗浴",
    "洗浴": "美容美发洗浴",
    "文化娱乐": "文化娱乐体育",
    "文体娱乐": "文化娱乐体育",
    "物业": "物业服务",
    "物业管理": "物业服务",
    "装修": "装修建材服务",
    "装饰装修": "装修建材服务",
    "家装": "装修建材服务",
    "旅游": "旅游服务",
    "互联网": "互联网服务",
    "网络服务": "互联网服务",
    "电信": "电信服务",
    "通信服务": "电信服务",
    "维修": "维修服务",
    "修理": "维修服务",
    "健身": "健身服务",
    "医疗": "医疗服务",
}
CATEGORY_SUFFIXES = ("类",)

# 投诉问题类型 (质量问题 is 质量 without an entry).
PROBLEM_TYPE_VARIANTS = {
    "售后": "售后服务",
    "产品质量": "质量",
    "商品质量": "质量",
    "合同纠纷": "合同",
    "价格欺诈": "价格",
    "假冒伪劣": "假冒",
    "其它": "其他",
}
PROBLEM_TYPE_SUFFIXES = ("问题",)

# 处理结果.
RESULT_VARIANTS = {
    "成功调解": "调解成功",
    "已调解": "调解成功",
    "达成调解协议": "调解成功",
    "调解失败": "调解不成功",
    "调解未成功": "调解不成功",
    "未达成调解协议": "调解不成功",
    "调解终止": "终止调解",
    "不受理": "不予受理",
    "撤回投诉": "撤诉",
    "消费者撤诉": "撤诉",
}
