"""The figures the demo texts, tables and attached files share, so they always agree.

2024: Hunan's published figures (省政协提案答复, 2025-06-05; docs/domain.md, Sources).
2025 and 2026: invented for the demo, in proportion to 2024. The about page says so.
"""

# 2024, as published.
Y2024 = {
    "pledge_units": "5.64",  # 万个 放心消费承诺单位
    "pledge_areas": 343,  # 放心消费商圈、街区、市场
    "return_merchants": "1.77",  # 万家 线下无理由退货承诺商家
    "returns": "60.81",  # 万件 退换货
    "returns_value": "6192.79",  # 万元
    "contacts": "49.58",  # 万件 投诉、举报和咨询
    "on_time_rate": "99.48",  # %
    "recovered": "9487.49",  # 万元 挽回经济损失
    "disclosed": "23.59",  # 万条 公示投诉信息
    "disclosure_rate": "98.85",  # %
    "odr": 4947,
    "odr_growth": "19.70",
    "first_settlements": 18416,
    "first_settlements_growth": "52.22",
    "complaint_to_case": 778,  # 诉转案
    "new_scenes": 50,  # 放心消费新场景
}

# 2025, demo figures.
Y2025 = {
    "pledge_units": "7.26",
    "pledge_areas": 418,
    "return_merchants": "2.21",
    "returns": "73.46",
    "returns_value": "7438.62",
    "contacts": "52.71",
    "complaints": "24.96",  # 万件 of the contacts
    "reports": "5.38",
    "consultations": "22.37",
    "on_time_rate": "99.53",
    "recovered": "10236.85",
    "disclosed": "24.58",
    "disclosure_rate": "99.06",
    "odr": 5638,
    "first_settlements": 23574,
    "complaint_to_case": 862,
    "cases": 3416,  # 消费领域违法案件
    "fines": "6842.7",  # 万元 罚没款
    "prepaid_complaints": "2.31",  # 万件 预付式消费投诉
    "prepaid_refunds": "3126.4",  # 万元 协调退款
}

# January to June 2026, demo figures: (月份, 投诉, 举报, 咨询, 挽回经济损失 万元).
MONTHS_2026H1 = [
    ("1月", 19842, 4126, 19315, "812.46"),
    ("2月", 16937, 3408, 16204, "701.38"),
    ("3月", 23615, 5267, 21938, "986.27"),
    ("4月", 21054, 4731, 19662, "874.15"),
    ("5月", 22318, 4905, 20471, "903.62"),
    ("6月", 24906, 5382, 21573, "1027.84"),
]

# Complaints by goods or service category, January to June 2026 (top ten).
CATEGORIES_2026H1 = [
    ("一般食品", "商品", 12483),
    ("教育培训服务", "服务", 9846),
    ("服装鞋帽", "商品", 8562),
    ("美容美发洗浴", "服务", 8127),
    ("餐饮和住宿服务", "服务", 7935),
    ("家居用品", "商品", 7316),
    ("文化、娱乐、体育服务（含健身）", "服务", 6214),
    ("交通工具", "商品", 6058),
    ("通讯产品", "商品", 5987),
    ("网络购物服务", "服务", 5402),
]

# Complaints by problem type, January to June 2026, in tenths of a percent of all complaints.
PROBLEMS_2026H1 = [
    ("售后服务", 386),
    ("合同", 214),
    ("质量", 142),
    ("虚假宣传", 89),
    ("价格", 61),
    ("安全", 32),
    ("假冒", 14),
    ("计量", 9),
    ("人格尊严", 6),
    ("其他", 47),
]

# Complaints by city, January to June 2026, in tenths of a percent.
CITIES_2026H1 = [
    ("长沙市", 368),
    ("株洲市", 62),
    ("湘潭市", 48),
    ("衡阳市", 71),
    ("邵阳市", 52),
    ("岳阳市", 63),
    ("常德市", 58),
    ("张家界市", 27),
    ("益阳市", 39),
    ("郴州市", 54),
    ("永州市", 44),
    ("怀化市", 47),
    ("娄底市", 38),
    ("湘西土家族苗族自治州", 29),
]


def month_total(row):
    _month, complaints, reports, consultations, _recovered = row
    return complaints + reports + consultations


def totals_2026h1():
    """Sums over the six months, as numbers."""
    complaints = sum(row[1] for row in MONTHS_2026H1)
    reports = sum(row[2] for row in MONTHS_2026H1)
    consultations = sum(row[3] for row in MONTHS_2026H1)
    recovered = sum(round(float(row[4]) * 100) for row in MONTHS_2026H1) / 100
    return {
        "complaints": complaints,
        "reports": reports,
        "consultations": consultations,
        "all": complaints + reports + consultations,
        "recovered": recovered,
    }


def split_by_share(total, shares):
    """Whole numbers in the given proportions that add up exactly to ``total``."""
    weight = sum(share for _name, share in shares)
    counts = [(name, total * share // weight) for name, share in shares]
    missing = total - sum(count for _name, count in counts)
    name, count = counts[-1]
    counts[-1] = (name, count + missing)
    return counts


def wan(number, digits=2):
    """``128672`` → ``"12.87"`` (in 万)."""
    return f"{number / 10000:.{digits}f}"


def percent(part, whole, digits=2):
    return f"{part * 100 / whole:.{digits}f}"
