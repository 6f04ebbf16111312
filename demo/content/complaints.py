"""The demo's complaint handling: units, reason templates and about thirty complaints.

Plain data read by ``demo/complaints.py``. The units are the Changsha city bureau, its nine
county bureaus and a station in each of the three Changsha business districts of
``content/merchants.py``; every complaint is made through the real intake and handled through
the real workflow, its times counted back from the day of loading.

Complainants are obviously invented (张三, 李四; phones 1380000xxxx); the texts name no one.
"""

CITY = "changsha"

# key (the staff account's username and the e-mail's local part), name, level, region code,
# business district (stations), parent key
UNITS = [
    (CITY, "长沙市市场监督管理局", "city", "430100", None, None),
    ("furong", "长沙市芙蓉区市场监督管理局", "county", "430102", None, CITY),
    ("tianxin", "长沙市天心区市场监督管理局", "county", "430103", None, CITY),
    ("yuelu", "长沙市岳麓区市场监督管理局", "county", "430104", None, CITY),
    ("kaifu", "长沙市开福区市场监督管理局", "county", "430105", None, CITY),
    ("yuhua", "长沙市雨花区市场监督管理局", "county", "430111", None, CITY),
    ("wangcheng", "长沙市望城区市场监督管理局", "county", "430112", None, CITY),
    ("changshaxian", "长沙县市场监督管理局", "county", "430121", None, CITY),
    ("liuyang", "浏阳市市场监督管理局", "county", "430181", None, CITY),
    ("ningxiang", "宁乡市市场监督管理局", "county", "430182", None, CITY),
    ("wuyi", "五一商圈消费维权服务站", "station", "430102", "长沙五一商圈", "furong"),
    ("huangxinglu", "黄兴路步行街消费维权服务站", "station", "430103", "黄兴路步行街", "tianxin"),
    ("gaoqiao", "高桥大市场市场监督管理所", "station", "430111", "高桥大市场", "yuhua"),
]
EMAIL_DOMAIN = "example.gov.cn"
STAFF_GROUP = "投诉处理"
STAFF_FIRST_NAME = "投诉专员"

# 《市场监督管理投诉举报处理办法》: the grounds for not accepting a complaint, and the return of
# one that is not the unit's. (use, title, text the complainant reads, sort order)
REFUSAL_TEMPLATES = [
    (
        "refuse",
        "不属于市场监管部门职责",
        "经审查，您反映的事项不属于市场监督管理部门的职责范围，根据《市场监督管理投诉举报处理办法》"
        "的规定，本单位决定不予受理。建议您向有关主管部门反映，或拨打12345政务服务便民热线咨询。",
        10,
    ),
    (
        "refuse",
        "已由人民法院受理",
        "经核实，您与被投诉人之间的同一消费者权益争议已由人民法院受理，根据《市场监督管理投诉举报"
        "处理办法》的规定，本单位决定不予受理。请您按照人民法院的程序主张权利。",
        20,
    ),
    (
        "refuse",
        "已由其他机构受理或处理",
        "经核实，同一消费者权益争议已由仲裁机构、其他行政机关、消费者协会或者依法成立的其他调解组织"
        "受理或者处理过，根据《市场监督管理投诉举报处理办法》的规定，本单位决定不予受理。",
        30,
    ),
    (
        "refuse",
        "无明确的被投诉人",
        "您提供的材料无法确定被投诉人的名称（姓名）和地址，投诉缺少明确的被投诉人，本单位决定不予"
        "受理。您可补充被投诉人的名称、经营地址后重新投诉。",
        40,
    ),
    (
        "refuse",
        "未补正投诉材料",
        "经告知补正后，您仍未提供具体的投诉请求以及消费者权益争议事实，根据《市场监督管理投诉举报"
        "处理办法》的规定，本单位决定不予受理。",
        50,
    ),
    (
        "refuse",
        "超过三年",
        "您知道或者应当知道自身权益受到被投诉人侵害之日起已超过三年，根据《市场监督管理投诉举报处理"
        "办法》的规定，本单位决定不予受理。",
        60,
    ),
    (
        # Signs of buying for resale or claims are hints for staff, never a refusal by themselves.
        "refuse",
        "非为生活消费需要（须人工核查后选用）",
        "经核查，您购买商品或者接受服务并非为生活消费需要，或者不能证明与被投诉人之间存在消费者权益"
        "争议，根据《市场监督管理投诉举报处理办法》的规定，本单位决定不予受理。",
        70,
    ),
    (
        "return",
        "被投诉人不在本单位管辖区域",
        "经核实，被投诉人的经营地址不在本单位管辖区域，已退回上级市场监督管理部门，转交有管辖权的"
        "单位办理，请您留意后续告知。",
        10,
    ),
    (
        "return",
        "网络交易由平台住所地处理",
        "被投诉人为网络交易经营者，其住所地不在本单位管辖区域。按照规定，网络交易投诉由经营者住所地"
        "的市场监督管理部门处理，已退回上级单位转办。",
        20,
    ),
    (
        "return",
        "属商圈服务站职责",
        "被投诉人位于本辖区商圈，由商圈消费维权服务站就近调解更为便捷，已退回转办。",
        30,
    ),
]

# Obviously invented complainants: the Chinese placeholder names, phones 1380000xxxx.
NAMES = [
    "张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十",
    "郑一", "冯二", "陈三", "褚四", "卫五", "蒋六", "沈七", "韩八",
]  # fmt: skip
PHONE_PREFIX = "1380000"

# How a consumer ends what happened, after the trade's own clause (``content/trades.py``).
CLOSINGS = [
    "当场与店员沟通，对方说要请示经理，之后一直没有答复。",
    "多次找店家协商未果，请市场监管部门帮助调解。",
    "有购物小票和聊天记录为证，希望尽快处理。",
    "店家态度很差，拒绝处理，只好投诉。",
    "打过店里的电话，一直说负责人不在。",
]

# Complaints against merchants the consumer typed in (not registered): name, address, region,
# what happened, what the consumer asks, amount.
TYPED = {
    "court": (
        "岳麓区美居装饰工程部",
        "长沙市岳麓区桐梓坡路",
        "430104",
        "去年签订家装合同，工期拖延四个月仍未完工。我已向人民法院起诉，法院已经立案，"
        "想请市场监管部门也帮忙催一催。",
        "要求退还未施工部分的工程款",
        "18000",
    ),
    "wages": (
        "开福区盛达劳务服务部",
        "长沙市开福区三一大道",
        "430105",
        "暑假在该店做兼职服务员，两个月工资一直没有结清，老板一拖再拖。",
        "要求支付拖欠的工资",
        "4200",
    ),
    "nobody": (
        "朋友圈代购（名称不详）",
        "",
        "430103",
        "在朋友圈找人代购的面霜到货后发现是假货，对方已把我拉黑，只知道微信昵称。",
        "要求退款",
        "680",
    ),
    "elsewhere": (
        "丁字湾鲜鱼馆",
        "长沙市望城区丁字湾街道",
        "430104",
        "在店里吃饭，点的是野生鳜鱼，上桌的明显是养殖鱼，按野生鱼的价格收费。",
        "要求退还差价",
        "236",
    ),
    "transferred": (
        "伍家岭好味道粉店",
        "长沙市开福区伍家岭",
        "430102",
        "店内菜单标价一碗粉12元，结账时按15元收取，说是价格已经调了，但菜单没改。",
        "要求退还多收的费用",
        "6",
    ),
    "unknown_shop": (
        "雨花区鑫鑫水果店",
        "长沙市雨花区劳动东路",
        "430111",
        "买了两斤车厘子，回家称只有一斤半，短斤缺两。",
        "要求退还短缺部分的货款并赔偿",
        "45",
    ),
}

# What a merchant writes on its settlement link.
SETTLEMENT_TEXTS = {
    "accept": "经核实情况属实，同意为消费者办理退货退款，已电话联系消费者到店办理。",
    "propose": "商品已使用，无法全额退款，愿意退还一半货款或者免费更换一次，请消费者考虑。",
    "decline": "商品系消费者使用不当造成损坏，不属于质量问题，不同意退换。",
}

# The complaints, in the order they are made. ``where`` picks the merchant: a unit key (a
# registered merchant that unit serves), "quick" (one holding the 快速响应双承诺 pledge) or
# "typed:<key>" (``TYPED``). ``ago``: (days before loading, "HH:MM") or "-<n>h"/"-<n>m".
# A step's time is "+<n>m"/"+<n>h" after the submission, or (days after it, "HH:MM").
# ``repeat_of``: the same phone and merchant as that complaint (the 30-day rule links it);
# ``same_matter_as``: the same merchant and matter from another phone (staff merge it).
COMPLAINTS = [
    # --- 待受理 ---
    {"key": "new-yuelu", "where": "yuelu", "ago": "-2h", "steps": []},
    {"key": "new-wuyi", "where": "wuyi", "ago": "-40m", "steps": []},
    {
        "key": "signed-kaifu",
        "where": "kaifu",
        "ago": (2, "10:15"),
        "steps": [("acknowledge", (0, "16:30"))],
    },
    {
        "key": "due-furong",
        "where": "furong",
        "ago": (9, "09:30"),
        "steps": [("acknowledge", (1, "09:10"))],
    },
    {"key": "overdue-yuhua", "where": "typed:unknown_shop", "ago": (13, "14:20"), "steps": []},
    # --- 快速响应 ---
    {"key": "fast-running", "where": "quick", "pick": 0, "ago": "-25m", "steps": []},
    {
        "key": "fast-pledge-visited",
        "where": "quick",
        "pick": 1,
        "ago": (3, "19:05"),
        "steps": [
            ("respond", "+18m"),
            ("arrive", "+62m"),
            ("accept", "+75m"),
            ("start_mediation", (0, "21:00")),
            ("close", (1, "10:30"), {"result": "mediation_success", "amount": "full"}),
            ("visit", (2, "10:00"), {"satisfaction": "satisfied"}),
        ],
    },
    {
        "key": "fast-counter",
        "where": "huangxinglu",
        "ago": (1, "15:40"),
        "steps": [
            ("mark_fast", "+10m", {"fast_reason": "at_counter"}),
            ("respond", "+25m"),
            ("arrive", "+50m"),
            ("accept", "+55m"),
            ("start_mediation", "+70m"),
        ],
    },
    {
        "key": "fast-tourist",
        "where": "wuyi",
        "pick": 1,
        "ago": (4, "12:10"),
        "steps": [
            ("mark_fast", "+8m", {"fast_reason": "out_of_town"}),
            ("respond", "+30m"),
            ("arrive", "+80m"),
            ("accept", "+90m"),
            ("start_mediation", "+2h"),
            ("close", "+5h", {"result": "mediation_success", "amount": "full"}),
        ],
    },
    # --- 已受理 ---
    {
        "key": "accepted-tianxin",
        "where": "tianxin",
        "ago": (5, "11:00"),
        "steps": [("accept", (1, "09:30"))],
    },
    {
        "key": "accepted-gaoqiao",
        "where": "gaoqiao",
        "ago": (3, "16:45"),
        "steps": [("acknowledge", (0, "17:20")), ("accept", (1, "10:00"))],
    },
    # --- 不予受理 ---
    {
        "key": "refused-court",
        "where": "typed:court",
        "ago": (8, "20:30"),
        "steps": [
            ("acknowledge", (1, "09:00")),
            ("refuse", (2, "15:00"), {"template": "已由人民法院受理"}),
        ],
    },
    {
        "key": "refused-wages",
        "where": "typed:wages",
        "ago": (16, "13:05"),
        "steps": [("refuse", (1, "10:40"), {"template": "不属于市场监管部门职责"})],
    },
    {
        "key": "refused-nobody",
        "where": "typed:nobody",
        "ago": (11, "22:10"),
        "steps": [("refuse", (3, "11:20"), {"template": "无明确的被投诉人"})],
    },
    # --- 退回、转办 ---
    {
        "key": "returned-waiting",
        "where": "typed:elsewhere",
        "ago": (2, "12:50"),
        "steps": [("return", (1, "10:20"), {"template": "被投诉人不在本单位管辖区域"})],
    },
    {
        "key": "returned-reassigned",
        "where": "typed:transferred",
        "ago": (7, "08:40"),
        "steps": [
            ("return", (0, "15:30"), {"template": "被投诉人不在本单位管辖区域"}),
            ("reassign", (1, "09:15"), {"unit": "kaifu"}),
            ("accept", (1, "14:00")),
        ],
    },
    # --- 先行和解 ---
    {
        "key": "settlement-waiting",
        "where": "huangxinglu",
        "pick": 1,
        "ago": (2, "18:20"),
        "steps": [("accept", (1, "09:40")), ("start_settlement", (1, "09:45"))],
    },
    {
        "key": "settlement-proposed",
        "where": "gaoqiao",
        "pick": 1,
        "ago": (6, "10:05"),
        "steps": [
            ("accept", (0, "15:00")),
            ("start_settlement", (0, "15:05")),
            ("merchant_answer", (2, "11:30"), {"answer": "propose"}),
        ],
    },
    {
        "key": "settlement-declined",
        "where": "tianxin",
        "pick": 1,
        "ago": (12, "14:30"),
        "steps": [
            ("accept", (1, "10:00")),
            ("start_settlement", (1, "10:05")),
            ("merchant_answer", (3, "16:40"), {"answer": "decline"}),
            ("start_mediation", (4, "09:30")),
        ],
    },
    # --- 调解中 ---
    {
        "key": "mediating-yuelu",
        "where": "yuelu",
        "pick": 1,
        "ago": (15, "09:50"),
        "steps": [("accept", (1, "11:00")), ("start_mediation", (2, "10:00"))],
    },
    {
        "key": "mediating-changshaxian",
        "where": "changshaxian",
        "ago": (24, "16:00"),
        "steps": [
            ("acknowledge", (0, "17:00")),
            ("accept", (2, "09:20")),
            ("start_mediation", (3, "14:00")),
        ],
    },
    {
        "key": "mediating-liuyang",
        "where": "liuyang",
        "ago": (10, "11:40"),
        "steps": [("accept", (1, "08:50")), ("start_mediation", (2, "15:10"))],
    },
    # The same consumer again, while the first is open: linked and merged, handled once.
    {"key": "repeat-liuyang", "repeat_of": "mediating-liuyang", "ago": (4, "20:15"), "steps": []},
    # Another member of the family about the same purchase: merged by staff.
    {
        "key": "merged-yuelu",
        "same_matter_as": "mediating-yuelu",
        "ago": (12, "19:30"),
        "steps": [
            ("acknowledge", (1, "09:05")),
            ("merge", (1, "09:20"), {"target": "mediating-yuelu"}),
        ],
    },
    # --- 已办结，待回访 ---
    {
        "key": "closed-failed",
        "where": "ningxiang",
        "ago": (20, "10:30"),
        "steps": [
            ("accept", (1, "09:00")),
            ("start_mediation", (2, "09:30")),
            ("close", (18, "16:00"), {"result": "mediation_failed"}),
        ],
    },
    {
        "key": "closed-recent",
        "where": "gaoqiao",
        "pick": 2,
        "ago": (9, "15:15"),
        "steps": [
            ("accept", (1, "09:30")),
            ("start_mediation", (1, "10:00")),
            ("close", (8, "16:00"), {"result": "mediation_success", "amount": "full"}),
        ],
    },
    # --- 已回访 ---
    {
        "key": "visited-furong",
        "where": "furong",
        "pick": 1,
        "ago": (32, "11:20"),
        "steps": [
            ("accept", (1, "10:00")),
            ("start_mediation", (2, "09:00")),
            ("close", (9, "17:00"), {"result": "mediation_success", "amount": "full"}),
            ("visit", (10, "10:30"), {"satisfaction": "satisfied"}),
        ],
    },
    {
        "key": "visited-wangcheng",
        "where": "wangcheng",
        "ago": (27, "09:15"),
        "steps": [
            ("accept", (2, "10:00")),
            ("start_mediation", (3, "09:00")),
            ("close", (12, "15:00"), {"result": "mediation_terminated"}),
            ("visit", (13, "09:40"), {"satisfaction": "fairly_satisfied"}),
        ],
    },
    {
        "key": "visited-settled",
        "where": "huangxinglu",
        "pick": 2,
        "ago": (21, "17:45"),
        "steps": [
            ("accept", (1, "09:20")),
            ("start_settlement", (1, "09:25")),
            ("merchant_answer", (2, "14:10"), {"answer": "accept"}),
            ("settle", (4, "11:00"), {"result": "settled", "amount": "full"}),
            ("visit", (5, "10:00"), {"satisfaction": "satisfied"}),
        ],
    },
    {
        "key": "visited-kaifu",
        "where": "kaifu",
        "pick": 1,
        "ago": (35, "13:40"),
        "steps": [
            ("accept", (1, "09:00")),
            ("start_mediation", (1, "15:00")),
            ("close", (6, "11:00"), {"result": "mediation_success", "amount": "half"}),
            ("visit", (7, "10:15"), {"satisfaction": "satisfied"}),
        ],
    },
    # 不满意 at the 回访: the mediation opens again, once.
    {
        "key": "reopened-yuhua",
        "where": "yuhua",
        "ago": (38, "10:10"),
        "steps": [
            ("accept", (1, "09:30")),
            ("start_mediation", (2, "10:00")),
            ("close", (15, "16:30"), {"result": "mediation_failed"}),
            ("visit", (16, "10:00"), {"satisfaction": "dissatisfied"}),
        ],
    },
    {
        "key": "visited-wuyi",
        "where": "wuyi",
        "pick": 2,
        "ago": (25, "20:05"),
        "steps": [
            ("accept", (1, "09:10")),
            ("start_mediation", (1, "09:40")),
            ("close", (3, "17:20"), {"result": "mediation_success", "amount": "full"}),
            ("visit", (4, "09:30"), {"satisfaction": "fairly_satisfied"}),
        ],
    },
]
