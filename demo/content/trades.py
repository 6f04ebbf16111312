"""The demo's trades: what each kind of shop sells and what its customers complain about.

One declared mapping, read by the demo merchants (``demo/merchants.py``: the registered name, the
shop name and the return scope of a merchant of the trade) and by the demo complaints
(``demo/disclosures.py``: the 12315 category a complaint against the trade is filed under, what
it is about, what the consumer asks for and how much money is at stake), so that a restaurant is
never said to have sold a fake phone. ``tests/test_demo_data.py`` checks every demo complaint
against it.

Texts read as published records do: the consumer is 消费者, 投诉人 or 王某, never a name, a phone
number, an ID number or a home address (``tests/test_demo_data.py`` runs the site's own scrubber
over them and finds nothing to mask).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Complaint:
    text: str  # what happened, a clause of the summary
    problem: str  # 投诉问题类型
    request: str  # 消费者诉求


@dataclass(frozen=True)
class Trade:
    name: str  # the word a shop of the trade is known by: 湘菜馆, 健身中心
    business: str  # in the registered name: 长沙市芙蓉区惠民<餐饮>有限公司
    complaint_category: str  # 商品或服务类别 (12315) of its complaints
    complaints: tuple[Complaint, ...]
    amounts: tuple[int | str, ...]  # typical money recovered (元) when mediation succeeds
    merchant_category: str | None = None  # 商家分类 of its pledge merchants; None: none pledge
    return_scope: str | None = None  # what a pledge merchant of the trade takes back


def _complaints(*items):
    return tuple(Complaint(*item) for item in items)


TRADES = (
    # --- 商场超市 ---
    Trade(
        "超市",
        "超市",
        "一般食品",
        _complaints(
            ("购买的熟食已过保质期，要求退货被拒", "质量", "要求退货退款"),
            ("货架标价与结算价格不一致，多收差价", "价格", "要求退还多收的差价"),
            ("散装食品中发现异物", "安全", "要求退款并赔偿"),
            ("临期食品未作提示，要求退货被拒", "售后服务", "要求退货退款"),
        ),
        (0, 12, 36, "58.50", 128),
        merchant_category="商场超市",
        return_scope="日用百货、家居用品、小家电（生鲜、散装食品除外）",
    ),
    Trade(
        "百货商店",
        "百货",
        "服装鞋帽",
        _complaints(
            ("羽绒服充绒量与吊牌标注不符", "虚假宣传", "要求退货退款"),
            ("吊牌未拆的外套七日内要求无理由退货被拒", "售后服务", "要求退货退款"),
            ("促销商品先涨价后打折", "价格", "要求退还差价"),
        ),
        (0, 199, 368, 599),
        merchant_category="商场超市",
        return_scope="服装、鞋帽、床上用品、箱包（贴身衣物除外）",
    ),
    Trade(
        "便利店",
        "便利店",
        "一般食品",
        _complaints(
            ("购买的酸奶已过保质期", "质量", "要求退款并赔偿"),
            ("夜间加价销售，未明码标价", "价格", "要求退还多收的费用"),
            ("加热后的便当已经变质", "安全", "要求退款并赔偿"),
        ),
        (0, 8, 15, "23.80"),
        merchant_category="商场超市",
        return_scope="日用百货（食品、烟酒除外）",
    ),
    # --- 餐饮住宿 ---
    Trade(
        "湘菜馆",
        "餐饮管理",
        "餐饮住宿",
        _complaints(
            ("菜品中发现异物", "安全", "要求退还餐费并道歉"),
            ("用餐后出现腹泻，怀疑食材不新鲜", "安全", "要求赔偿医药费"),
            ("包间收取最低消费，事先未告知", "价格", "要求退还多收的费用"),
            ("服务员态度恶劣，与消费者发生争执", "人格尊严", "要求商家道歉并整改"),
            ("储值卡余额被告知不能使用", "合同", "要求退还储值卡余额"),
        ),
        (0, 68, 158, 300, 500),
        merchant_category="餐饮住宿",
    ),
    Trade(
        "酒店",
        "酒店管理",
        "餐饮住宿",
        _complaints(
            ("预订的房间到店后无法入住，定金不退", "合同", "要求退还定金"),
            ("客房卫生不达标，床单有污渍", "质量", "要求退还房费"),
            ("退房时押金被无故扣除", "合同", "要求退还押金"),
        ),
        (0, 200, 388, 600),
        merchant_category="餐饮住宿",
    ),
    Trade(
        "米粉店",
        "餐饮",
        "餐饮住宿",
        _complaints(
            ("米粉中吃出异物", "安全", "要求退还餐费并道歉"),
            ("价目表与实际收费不一致", "价格", "要求退还多收的费用"),
            ("外卖送达的米粉分量明显不足", "计量", "要求退款"),
        ),
        (0, 12, 18, 30),
        merchant_category="餐饮住宿",
    ),
    # --- 服装鞋帽 ---
    Trade(
        "服饰",
        "服饰",
        "服装鞋帽",
        _complaints(
            ("衣服洗涤一次后严重褪色", "质量", "要求退货退款"),
            ("标称纯棉的衬衫实为化纤面料", "虚假宣传", "要求退一赔三"),
            ("吊牌未拆，七日内要求无理由退货被拒", "售后服务", "要求退货退款"),
        ),
        (0, 129, 259, "399.50"),
        merchant_category="服装鞋帽",
        return_scope="服装、鞋帽、箱包（定制、贴身衣物除外）",
    ),
    Trade(
        "鞋城",
        "鞋业",
        "服装鞋帽",
        _complaints(
            ("新买的皮鞋穿了一周开胶，要求退货被拒", "质量", "要求退货退款"),
            ("标称真皮的鞋子实为人造革", "虚假宣传", "要求退一赔三"),
            ("承诺的无理由退货不予办理", "售后服务", "要求退货退款"),
        ),
        (0, 169, 298, 458),
        merchant_category="服装鞋帽",
        return_scope="鞋类商品（已穿着磨损的除外）",
    ),
    # --- 家用电器、通讯器材、珠宝首饰 ---
    Trade(
        "电器城",
        "电器",
        "家用电器",
        _complaints(
            ("空调安装后另收高价材料费", "价格", "要求退还多收的费用"),
            ("冰箱使用三个月出现故障，多次维修未解决", "质量", "要求退货退款"),
            ("热水器漏水，商家推诿维修", "售后服务", "要求维修或更换"),
            ("以旧换新补贴未按约定兑现", "合同", "要求履行合同约定"),
        ),
        (0, 260, 800, 1699, 3299),
        merchant_category="家用电器",
        return_scope="大小家电（已安装使用的除外）",
    ),
    Trade(
        "手机通讯",
        "通讯器材",
        "通讯器材",
        _complaints(
            ("新买的手机疑似翻新机，要求退货被拒", "假冒", "要求退货退款"),
            ("手机在保修期内维修仍被收费", "售后服务", "要求免费维修"),
            ("办理合约机时被捆绑增值业务", "合同", "要求取消增值业务并退费"),
        ),
        (0, 150, 899, 2599),
        merchant_category="通讯器材",
        return_scope="手机及配件（已激活、已拆封的除外）",
    ),
    Trade(
        "珠宝银楼",
        "珠宝",
        "首饰及珠宝",
        _complaints(
            ("黄金饰品克重不足", "计量", "要求退还差价"),
            ("翡翠手镯的证书与实物不符", "假冒", "要求退货退款"),
            ("以旧换新时手工费收取不透明", "价格", "要求退还多收的费用"),
        ),
        (0, 320, 1280, 5600),
        merchant_category="珠宝首饰",
        return_scope="黄金、银饰、玉器（定制、刻字的除外）",
    ),
    # --- 家居建材 ---
    Trade(
        "家居馆",
        "家居",
        "家居用品",
        _complaints(
            ("定制衣柜尺寸与合同不符", "合同", "要求重做或退款"),
            ("沙发使用半年出现塌陷", "质量", "要求维修或更换"),
            ("新买的床垫有刺鼻气味，要求退货被拒", "质量", "要求退货退款"),
        ),
        (0, 500, 1200, 3600),
        merchant_category="家居建材",
        return_scope="成品家具、灯饰（定制类除外）",
    ),
    Trade(
        "建材商行",
        "建材",
        "家居用品",
        _complaints(
            ("瓷砖到货后色差明显，要求退货被拒", "质量", "要求退货退款"),
            ("卫浴五金件生锈，要求更换被拒", "售后服务", "要求维修或更换"),
            ("实际送货数量少于订单", "计量", "要求补足货物"),
        ),
        (0, 180, 460, 1350),
        merchant_category="家居建材",
        return_scope="瓷砖、五金、洁具（已裁切、已安装的除外）",
    ),
    # --- 汽车销售及维修 ---
    Trade(
        "汽车4S店",
        "汽车销售服务",
        "交通工具",
        _complaints(
            ("购车时被强制搭售保险和装饰", "合同", "要求退还搭售费用"),
            ("新车交付时发现有维修痕迹", "虚假宣传", "要求退车或赔偿"),
            ("收取的金融服务费事先未说明", "价格", "要求退还服务费"),
        ),
        (0, 1500, 3800, 8000),
        merchant_category="汽车销售及维修",
    ),
    Trade(
        "汽修厂",
        "汽车维修",
        "维修服务",
        _complaints(
            ("维修时更换的配件不是原厂件", "假冒", "要求更换原厂配件"),
            ("维修费用远超事先报价", "价格", "要求退还多收的费用"),
            ("维修后同一故障再次出现", "质量", "要求免费返修"),
        ),
        (0, 300, 680, 1200),
        merchant_category="汽车销售及维修",
    ),
    # --- 美容美发、教育培训、健身：预付卡 ---
    Trade(
        "美发沙龙",
        "美容美发",
        "美容美发洗浴",
        _complaints(
            ("办理预付卡后被变更服务项目", "合同", "要求退还预付卡余额"),
            ("理发时被强行推销办卡", "人格尊严", "要求商家道歉并整改"),
            ("染发后头皮过敏", "安全", "要求赔偿医药费"),
            ("预付卡要求退费被拒", "合同", "要求退还预付卡余额"),
        ),
        (0, 98, 300, 1000, 2000),
        merchant_category="美容美发",
    ),
    Trade(
        "培训学校",
        "教育培训",
        "教育培训",
        _complaints(
            ("退学后拒绝退还剩余课时费", "合同", "要求退还剩余课时费"),
            ("承诺包过的课程未兑现", "虚假宣传", "要求退还培训费"),
            ("预付课时费后培训学校关门跑路", "合同", "要求退还剩余课时费"),
            ("授课老师频繁更换，与合同约定不符", "合同", "要求履行合同约定"),
        ),
        (0, 1200, 2800, 6800),
        merchant_category="教育培训",
    ),
    Trade(
        "健身中心",
        "健身",
        "健身服务",
        _complaints(
            ("办理健身预付卡后健身房关门跑路", "合同", "要求退还预付卡余额"),
            ("健身预付卡要求退费被拒", "合同", "要求退还剩余费用"),
            ("私教课程与宣传不符", "虚假宣传", "要求退还私教课费用"),
            ("器械长期损坏无人维修，无法正常使用", "合同", "要求延长会员期限"),
        ),
        (0, 600, 1500, 3000),
        merchant_category="文化娱乐体育",
    ),
    # --- 药品医疗器械、食品销售、旅游服务 ---
    Trade(
        "大药房",
        "大药房",
        "药械妆",
        _complaints(
            ("店员宣称保健食品能治疗疾病", "虚假宣传", "要求退货退款"),
            ("购买的药品已过有效期", "安全", "要求退款并赔偿"),
            ("血压计测量误差大，要求退货被拒", "质量", "要求退货退款"),
        ),
        (0, 45, 168, 398),
        merchant_category="药品医疗器械",
        return_scope="医疗器械及保健用品（药品除外）",
    ),
    Trade(
        "特产店",
        "食品",
        "一般食品",
        _complaints(
            ("特产礼盒实际重量少于标注", "计量", "要求退还差价"),
            ("礼盒内食品生产日期标注不清，要求退货被拒", "质量", "要求退货退款"),
            ("宣称手工制作，实为流水线产品", "虚假宣传", "要求退一赔三"),
        ),
        (0, 58, 128, 268),
        merchant_category="食品销售",
        return_scope="预包装特产礼盒（未拆封）",
    ),
    Trade(
        "旅行社",
        "旅行社",
        "旅游服务",
        _complaints(
            ("擅自变更行程安排", "合同", "要求赔偿损失"),
            ("导游强制游客购物", "人格尊严", "要求商家道歉并退还购物款"),
            ("报名后行程取消，定金不退", "合同", "要求退还定金"),
        ),
        (0, 300, 800, 2400),
        merchant_category="旅游服务",
    ),
    # --- businesses with no pledge merchant in the demo: complained about all the same ---------
    Trade(
        "物业公司",
        "物业管理",
        "物业服务",
        _complaints(
            ("物业服务费收费项目不透明", "价格", "要求公示收费明细"),
            ("报修后物业长期不履行维修义务", "合同", "要求履行合同约定"),
        ),
        (0, 120, 360),
    ),
    Trade(
        "网店",
        "电子商务",
        "互联网服务",
        _complaints(
            ("网购商品拒绝七日无理由退货", "售后服务", "要求退货退款"),
            ("直播带货商品与宣传不符，要求退货被拒", "虚假宣传", "要求退货退款"),
            ("会员自动续费事先未提示", "合同", "要求退还续费"),
        ),
        (0, 39, 99, 259),
    ),
    Trade(
        "通信营业厅",
        "通信服务",
        "电信服务",
        _complaints(
            ("宽带套餐被擅自变更", "合同", "要求恢复原套餐"),
            ("话费扣费不明", "价格", "要求退还多扣的费用"),
        ),
        (0, 30, 88, 199),
    ),
    Trade(
        "装饰公司",
        "装饰工程",
        "装修建材服务",
        _complaints(
            ("装修工期一再拖延并增加费用", "合同", "要求履行合同约定"),
            ("墙面完工不久出现开裂", "质量", "要求免费返工"),
        ),
        (0, 2000, 5000, 12000),
    ),
    Trade(
        "医疗美容门诊部",
        "医疗美容",
        "医疗服务",
        _complaints(
            ("医美项目效果与宣传不符", "虚假宣传", "要求退还费用"),
            ("收费高于公示价格", "价格", "要求退还多收的费用"),
        ),
        (0, 800, 2600, 9800),
    ),
    Trade(
        "家电维修部",
        "家电维修",
        "维修服务",
        _complaints(
            ("上门维修后收取高额检测费", "价格", "要求退还多收的费用"),
            ("维修时更换的配件不是原装件", "假冒", "要求更换原装配件"),
        ),
        (0, 80, 150, 320),
    ),
    Trade(
        "农资店",
        "农资",
        "农用生产资料",
        _complaints(
            ("购买的种子发芽率低", "质量", "要求赔偿损失"),
            ("化肥有效成分含量不足", "质量", "要求退货退款"),
        ),
        (0, 260, 900, 2400),
    ),
    Trade(
        "酒行",
        "酒业",
        "烟酒和饮料",
        _complaints(
            ("购买的白酒疑似假酒", "假冒", "要求退一赔十"),
            ("整箱饮料中有数瓶已过保质期", "质量", "要求退货退款"),
        ),
        (0, 168, 580, 1800),
    ),
    Trade(
        "剧场",
        "文化传媒",
        "文化娱乐体育",
        _complaints(
            ("演出临时取消未退票款", "合同", "要求退还票款"),
            ("演出阵容与宣传不符", "虚假宣传", "要求退还票款"),
        ),
        (0, 180, 380, 880),
    ),
)

BY_NAME = {trade.name: trade for trade in TRADES}


def merchant_trades():
    """{商家分类: [its trades]}: the trades a demo pledge merchant is drawn from."""
    grouped = {}
    for trade in TRADES:
        if trade.merchant_category:
            grouped.setdefault(trade.merchant_category, []).append(trade)
    return grouped


def trade_of_shop(shop_name):
    """The trade of a demo merchant's shop name (惠民湘菜馆（人民路店）), None if not a demo one."""
    name = shop_name.split("（", 1)[0]
    found = [trade for trade in TRADES if trade.merchant_category and name.endswith(trade.name)]
    # 便利店 is not a 店 of 湘菜馆's: the longest name that ends the shop's name.
    return max(found, key=lambda trade: len(trade.name), default=None)


def trade_of_respondent(name):
    """The trade of a demo respondent's registered name (…惠民餐饮有限公司)."""
    found = [trade for trade in TRADES if name.endswith(trade.business + "有限公司")]
    return max(found, key=lambda trade: len(trade.business), default=None)
