"""Word lists for the demo's pledge merchants: invented shops in real Hunan places.

Business names are made up from common shop words (no real brand); districts, streets and
markets are real places, so the directory and posters look like the province's own.
"""

MERCHANT_COUNT = 320

# (name, kind, county code, address, description)
DISTRICTS = [
    (
        "长沙五一商圈",
        "district",
        "430102",
        "长沙市芙蓉区五一大道与黄兴中路一带",
        "长沙核心商圈，商场、餐饮和老字号集中，全域创建放心消费示范商圈。",
    ),
    (
        "黄兴路步行街",
        "street",
        "430103",
        "长沙市天心区黄兴南路步行商业街",
        "省级放心消费示范街区，设有消费维权服务站，街区商户统一承诺7天无理由退货。",
    ),
    (
        "高桥大市场",
        "market",
        "430111",
        "长沙市雨花区远大一路高桥大市场",
        "全省最大的综合批发市场之一，茶叶、酒水、副食、家居用品门店集中。",
    ),
    (
        "芦淞服饰市场群",
        "market",
        "430203",
        "株洲市芦淞区建设南路一带",
        "中南地区重要的服装批发集散地，市场群统一推行线下无理由退货。",
    ),
    (
        "洞庭南路历史文化街区",
        "street",
        "430602",
        "岳阳市岳阳楼区洞庭南路",
        "临近岳阳楼的历史文化街区，特产、餐饮和文创店铺集中。",
    ),
    (
        "凤凰古城商圈",
        "district",
        "433123",
        "湘西州凤凰县沱江镇古城景区",
        "旅游商圈，银饰、姜糖、蜡染等特色商品集中，游客消费投诉可就地调解。",
    ),
    (
        "溪布街",
        "street",
        "430811",
        "张家界市武陵源区溪布街",
        "景区旅游休闲街区，餐饮、住宿、特产门店集中。",
    ),
    (
        "建设路口商圈",
        "district",
        "430302",
        "湘潭市雨湖区建设北路与韶山中路交会处",
        "湘潭传统商业中心，商场、超市、家电门店集中。",
    ),
]

# Share of merchants placed in a district; the rest are spread across the province.
IN_DISTRICT_SHARE = 0.35

# Counties weighted towards the provincial capital, as the real registry is.
COUNTY_WEIGHTS = {
    "4301": 6,
    "4302": 2,
    "4303": 2,
    "4304": 2,
    "4305": 1,
    "4306": 2,
    "4307": 1,
    "4308": 1,
    "4309": 1,
    "4310": 1,
    "4311": 1,
    "4312": 1,
    "4313": 1,
    "4331": 1,
}

BRANDS = [
    "惠民", "好邻居", "万家福", "鑫隆", "德润", "和顺", "兴旺", "瑞丰", "百姓", "金源",
    "康宁", "悦享", "优品", "诚信", "宏达", "安心", "乐购", "家和", "湘味", "麓山",
    "橘洲", "星城", "洞庭", "潇湘", "芙蓉", "湘江", "梅溪", "南岳", "福满", "佳惠",
    "盛世", "永兴", "聚源", "同心", "天天", "新民", "红星", "金桥", "恒信", "久久",
]  # fmt: skip

STREETS = [
    "人民路", "解放路", "建设路", "中山路", "新华路", "文化路", "迎宾路", "朝阳路",
    "五一路", "韶山路", "车站路", "光明路", "劳动路", "团结路", "湘江路", "芙蓉路",
]  # fmt: skip

# Who the bureau reaches at a demo merchant: a role, never a made-up person with a phone number.
CONTACT_ROLES = ["店长", "店面经理", "值班经理", "客服主管", "门店负责人"]

ONLINE_PLATFORMS = ["美团", "淘宝", "京东", "抖音", "拼多多"]

CONFIDENCE_PLEDGE = "质量安全放心、交易公平放心、经营管理放心、服务承诺放心、消费维权放心。"
QUICK_RESPONSE_PLEDGE = "接到消费者诉求后45分钟内答复，90分钟内到达现场处理，办结后24小时内回访。"
RETURN_CONDITIONS = [
    "商品完好、不影响二次销售，凭购物小票或发票办理",
    "商品及包装完好、配件赠品齐全，凭购物凭证办理",
    "吊牌未拆、未洗涤未穿着，凭小票办理",
]
SUSPEND_REASONS = [
    "消费者投诉反映拒不履行无理由退货承诺，经调查属实，暂停承诺资格整改30天",
    "经营场所搬迁，待核实新址后恢复",
]
REMOVE_REASONS = [
    "一年内三次拒不履行七日无理由退货承诺，按规定摘牌",
    "因销售不合格商品被立案处罚，取消放心消费承诺单位资格",
    "商家主动申请退出放心消费承诺",
]
