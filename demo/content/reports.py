"""报告发布 and the 3·15 campaign pages. The tables are computed from ``figures`` so the page text,
the tables and the attached XLSX file always agree."""

from datetime import date

from .blocks import document, faq, figures, image, para, table
from .figures import (
    CATEGORIES_2026H1,
    CITIES_2026H1,
    MONTHS_2026H1,
    PROBLEMS_2026H1,
    Y2024,
    Y2025,
    month_total,
    percent,
    split_by_share,
    totals_2026h1,
    wan,
)

H1 = totals_2026h1()


def _monthly_rows():
    rows = [
        ["月份", "投诉（件）", "举报（件）", "咨询（件）", "合计（件）", "挽回经济损失（万元）"]
    ]
    for row in MONTHS_2026H1:
        month, complaints, reports, consultations, recovered = row
        rows.append(
            [
                month,
                f"{complaints:,}",
                f"{reports:,}",
                f"{consultations:,}",
                f"{month_total(row):,}",
                recovered,
            ]
        )
    rows.append(
        [
            "合计",
            f"{H1['complaints']:,}",
            f"{H1['reports']:,}",
            f"{H1['consultations']:,}",
            f"{H1['all']:,}",
            f"{H1['recovered']:.2f}",
        ]
    )
    return rows


def _category_rows():
    rows = [["排名", "商品或服务类别", "大类", "投诉量（件）", "占投诉总量"]]
    for rank, (name, group, count) in enumerate(CATEGORIES_2026H1, start=1):
        rows.append([rank, name, group, f"{count:,}", f"{percent(count, H1['complaints'])}%"])
    return rows


def _problem_rows():
    rows = [["问题类型", "投诉量（件）", "占比"]]
    for name, count in split_by_share(H1["complaints"], PROBLEMS_2026H1):
        rows.append([name, f"{count:,}", f"{percent(count, H1['complaints'], 1)}%"])
    return rows


_PROBLEMS = dict(split_by_share(H1["complaints"], PROBLEMS_2026H1))
_CITIES = split_by_share(H1["complaints"], CITIES_2026H1)
_MARCH = next(row for row in MONTHS_2026H1 if row[0] == "3月")
_JUNE = next(row for row in MONTHS_2026H1 if row[0] == "6月")

REPORTS = [
    {
        "slug": "2024-hunan-xiaofeizhe-quanyi-baohu-zhuangkuang-baogao",
        "title": "2024年湖南省消费者权益保护状况报告",
        "date": date(2025, 3, 14),
        "kind": "annual",
        "year": 2024,
        "listing_image": "shield",
        "document": None,
        "intro": "2024年，全省放心消费行动和消费维权工作取得新成效：放心消费承诺单位5.64万个，"
        "受理投诉举报咨询49.58万件，公示消费投诉信息23.59万条，公示率98.85%。",
        "body": [
            figures(
                "2024年主要数据",
                (Y2024["pledge_units"], "万个", "放心消费承诺单位"),
                (Y2024["contacts"], "万件", "受理投诉、举报和咨询"),
                (Y2024["disclosed"], "万条", "公示消费投诉信息"),
                (Y2024["recovered"], "万元", "挽回经济损失"),
            ),
            para(
                "<h2>一、放心消费行动</h2>",
                "<p>2024年，全省广泛开展放心消费承诺和线下无理由退货承诺“双承诺”活动，"
                "制定《湖南省放心消费创建主体培育工作推进方案》，以线下无理由退货承诺为载体，"
                "引导重点商户、特色街区、核心商圈践行“质量安全放心、交易公平放心、经营管理放心、"
                "服务承诺放心、消费维权放心”的公开承诺。全年累计培育放心消费承诺单位"
                f"{Y2024['pledge_units']}万个，创建放心消费商圈、街区、市场{Y2024['pledge_areas']}个，"
                f"发展线下无理由退货承诺商家{Y2024['return_merchants']}万家，"
                f"退换货数量{Y2024['returns']}万件，退换货金额{Y2024['returns_value']}万元。</p>",
                "<h2>二、消费维权效能</h2>",
                f"<p>全省共受理消费者投诉、举报和咨询{Y2024['contacts']}万件，"
                f"按时办结率达{Y2024['on_time_rate']}%，为消费者挽回经济损失{Y2024['recovered']}万元。"
                "建立12345政务服务热线与12315平台信息共享、业务协同机制，热线话务接通率超95%。"
                f"全省在12315平台公示消费投诉信息{Y2024['disclosed']}万条，"
                f"公示率达{Y2024['disclosure_rate']}%。</p>",
                "<h2>三、多元化解与执法</h2>",
                f"<p>全省共发展消费纠纷在线解决（ODR）企业{Y2024['odr']}家，较上年增长"
                f"{Y2024['odr_growth']}%;ODR企业开展先行和解{Y2024['first_settlements']}件，"
                f"同比增长{Y2024['first_settlements_growth']}%，促进消费纠纷“和解在企业，化解在源头”。"
                f"完善“诉转案”衔接机制，全年办理“诉转案”{Y2024['complaint_to_case']}件。</p>",
            ),
        ],
    },
    {
        "slug": "2025-hunan-xiaofeizhe-quanyi-baohu-zhuangkuang-baogao",
        "title": "2025年湖南省消费者权益保护状况报告",
        "date": date(2026, 3, 13),
        "kind": "annual",
        "year": 2025,
        "listing_image": "shield",
        "document": "annual_2025_pdf",
        "intro": "报告从放心消费行动、12315投诉举报、消费投诉公示、重点领域整治和消费教育五个方面，"
        "全面反映2025年全省消费者权益保护工作情况。",
        "body": [
            figures(
                "2025年主要数据",
                (Y2025["pledge_units"], "万个", "放心消费承诺单位"),
                (Y2025["return_merchants"], "万家", "线下无理由退货承诺商家"),
                (Y2025["contacts"], "万件", "受理投诉、举报和咨询"),
                (Y2025["disclosure_rate"], "%", "投诉信息公示率"),
                (Y2025["recovered"], "万元", "挽回经济损失"),
            ),
            para(
                "<h2>一、放心消费行动提质扩面</h2>",
                f"<p>截至2025年底，全省放心消费承诺单位达到{Y2025['pledge_units']}万个，"
                f"创建放心消费商圈、街区、市场{Y2025['pledge_areas']}个；"
                f"线下无理由退货承诺商家{Y2025['return_merchants']}万家，"
                f"全年退换货{Y2025['returns']}万件、金额{Y2025['returns_value']}万元。"
                "放心消费“一企一码”智慧监管平台完成建设并在三个市试点运行。</p>",
                "<h2>二、12315投诉举报</h2>",
                f"<p>全年共受理投诉、举报和咨询{Y2025['contacts']}万件，其中投诉{Y2025['complaints']}万件、"
                f"举报{Y2025['reports']}万件、咨询{Y2025['consultations']}万件，"
                f"按时办结率{Y2025['on_time_rate']}%，为消费者挽回经济损失{Y2025['recovered']}万元。"
                "投诉热点集中在教育培训、美容美发、餐饮住宿、一般食品和服装鞋帽等领域，"
                "售后服务和合同问题占投诉总量的六成。</p>",
                "<h2>三、消费投诉信息公示</h2>",
                f"<p>全年公示消费投诉信息{Y2025['disclosed']}万条，公示率{Y2025['disclosure_rate']}%。"
                "公示信息不包含投诉人的任何个人信息。各地结合公示数据按季度发布消费投诉“红黑榜”，"
                "对投诉量大、调解成功率低的经营者开展行政约谈。</p>",
                "<h2>四、重点领域整治</h2>",
                f"<p>全年受理预付式消费投诉{Y2025['prepaid_complaints']}万件，"
                f"协调退款{Y2025['prepaid_refunds']}万元，对健身房、美容院、教培机构等收取预付费后"
                "闭店“跑路”的，会同相关部门快速处置。开展直播带货、老年人保健品虚假宣传、"
                f"“双11”价格欺诈等专项整治，全年查办消费领域违法案件{Y2025['cases']}件，"
                f"罚没款{Y2025['fines']}万元，办理“诉转案”{Y2025['complaint_to_case']}件。</p>",
                "<h2>五、消费教育与社会共治</h2>",
                f"<p>全省ODR企业发展到{Y2025['odr']}家，开展先行和解{Y2025['first_settlements']:,}件。"
                "在春节、3·15、618、双11等节点发布消费提示和警示，"
                "开展消费维权宣传“五进”活动，引导消费者科学理性消费。</p>",
            ),
            table(
                "2025年与2024年主要指标对比",
                [
                    ["指标", "2024年", "2025年"],
                    ["放心消费承诺单位（万个）", Y2024["pledge_units"], Y2025["pledge_units"]],
                    [
                        "线下无理由退货承诺商家（万家）",
                        Y2024["return_merchants"],
                        Y2025["return_merchants"],
                    ],
                    ["受理投诉、举报和咨询（万件）", Y2024["contacts"], Y2025["contacts"]],
                    ["按时办结率（%）", Y2024["on_time_rate"], Y2025["on_time_rate"]],
                    ["挽回经济损失（万元）", Y2024["recovered"], Y2025["recovered"]],
                    ["公示消费投诉信息（万条）", Y2024["disclosed"], Y2025["disclosed"]],
                    ["公示率（%）", Y2024["disclosure_rate"], Y2025["disclosure_rate"]],
                    ["ODR企业（家）", f"{Y2024['odr']:,}", f"{Y2025['odr']:,}"],
                    ["办理“诉转案”（件）", Y2024["complaint_to_case"], Y2025["complaint_to_case"]],
                ],
                source="湖南省市场监督管理局；2025年为演示数据",
                first_col_is_header=True,
            ),
        ],
    },
    {
        "slug": "2026-shangbannian-12315-tousu-jubao-shuju-fenxi",
        "title": "2026年上半年湖南省12315投诉举报数据分析报告",
        "date": date(2026, 7, 20),
        "kind": "data",
        "year": 2026,
        "listing_image": "chart",
        "document": "h1_2026_xlsx",
        "intro": f"2026年上半年，全省12315平台共受理投诉、举报和咨询{wan(H1['all'])}万件，"
        f"为消费者挽回经济损失{H1['recovered']:.2f}万元。教育培训服务、预付式消费和直播带货"
        "投诉较为集中。附月度、类别和地区数据表下载。",
        "body": [
            figures(
                "2026年上半年主要数据",
                (wan(H1["all"]), "万件", "受理投诉、举报和咨询"),
                (wan(H1["complaints"]), "万件", "投诉"),
                (wan(H1["reports"]), "万件", "举报"),
                (f"{H1['recovered']:.2f}", "万元", "挽回经济损失"),
            ),
            para(
                "<h2>一、总体情况</h2>",
                f"<p>2026年1月至6月，全省市场监管部门通过12315热线、全国12315平台、"
                f"“一企一码”扫码投诉等渠道共受理消费者投诉、举报和咨询{H1['all']:,}件，"
                f"其中投诉{H1['complaints']:,}件，占{percent(H1['complaints'], H1['all'], 1)}%；"
                f"举报{H1['reports']:,}件，占{percent(H1['reports'], H1['all'], 1)}%；"
                f"咨询{H1['consultations']:,}件，占{percent(H1['consultations'], H1['all'], 1)}%。"
                f"为消费者挽回经济损失{H1['recovered']:.2f}万元。</p>",
                f"<p>从月度看，3月受3·15集中宣传带动，受理量达{month_total(_MARCH):,}件；"
                f"6月受“618”网购促销影响，受理量达{month_total(_JUNE):,}件，为上半年最高；"
                "2月受春节假期影响受理量最低。</p>",
            ),
            table(
                "2026年上半年12315受理情况（按月份）",
                _monthly_rows(),
                source="全国12315平台湖南数据",
            ),
            para(
                "<h2>二、投诉热点</h2>",
                "<p>商品类投诉中，一般食品、服装鞋帽、家居用品居前三位；"
                "服务类投诉中，教育培训服务、美容美发洗浴、餐饮和住宿服务居前三位。"
                "教育培训服务投诉主要涉及退费难、机构停课闭店；美容美发洗浴投诉主要涉及预付卡"
                "办卡容易退卡难、经营者变更后不认卡、诱导消费；文化娱乐体育服务投诉中，"
                "健身房预付卡纠纷占七成以上，部分经营者收取预付费后“跑路”。</p>",
            ),
            table(
                "2026年上半年投诉量前十的商品和服务类别",
                _category_rows(),
                source="全国12315平台湖南数据",
            ),
            para(
                "<h2>三、投诉问题类型</h2>",
                f"<p>从问题类型看，售后服务问题投诉{_PROBLEMS['售后服务']:,}件，居首位，"
                "主要表现为退货退款难、维修拖延、客服推诿；合同问题投诉"
                f"{_PROBLEMS['合同']:,}件，主要涉及预付式消费合同不履行、格式条款不公平；"
                f"虚假宣传问题投诉{_PROBLEMS['虚假宣传']:,}件，直播带货夸大功效、"
                "老年人保健品虚假宣传问题较为突出。</p>",
            ),
            table("2026年上半年投诉问题类型分布", _problem_rows(), source="全国12315平台湖南数据"),
            para(
                "<h2>四、地区分布</h2>",
                f"<p>从地区看，长沙市受理投诉{_CITIES[0][1]:,}件，占全省"
                f"{percent(_CITIES[0][1], H1['complaints'], 1)}%，"
                "衡阳、岳阳、株洲、常德等市投诉量位居其后。"
                "张家界、湘西等旅游城市在“五一”假期前后涉旅游、餐饮投诉明显增加。</p>",
                "<h2>五、消费提示</h2>",
                "<p>下半年将迎来暑期、开学季、中秋国庆和“双11”等消费高峰。"
                "提醒消费者：办理预付卡量力而行，校外培训不大额预缴；网购和直播带货理性下单，"
                "用好七日无理由退货；在“一企一码”商家消费，可扫码查看承诺和投诉公示情况。</p>",
            ),
        ],
    },
]

CAMPAIGNS = [
    {
        "slug": "315-2026",
        "title": "3·15专题",
        "seo_title": "2026年3·15国际消费者权益日专题",
        "year": 2026,
        "theme": "共筑满意消费 共享美好生活",
        "date": date(2026, 3, 1),
        "show_in_menus": True,
        "listing_image": "calendar",
        "intro": "2026年3·15国际消费者权益日专题：年度主题、全省活动安排、2025年消费维权成效、"
        "年度报告和典型案例，以及消费者最关心的维权问答。",
        "body": [
            image("calendar", caption="2026年3·15国际消费者权益日"),
            para(
                "<h2>年度主题：共筑满意消费 共享美好生活</h2>",
                "<p>今年3·15，全省市场监管部门以“共筑满意消费 共享美好生活”为主题，"
                "聚焦预付式消费、直播带货、老年人消费和旅游消费等群众关切，"
                "集中发布报告、案例和消费提示，推广放心消费“一企一码”扫码查询，"
                "让消费者买得放心、用得安心、退得顺心。</p>",
                "<h2>全省活动安排</h2>",
            ),
            table(
                "2026年3·15期间全省主要活动",
                [
                    ["日期", "活动", "地点或渠道"],
                    ["3月1日—3月31日", "消费维权宣传“五进”活动", "全省14个市州"],
                    ["3月12日", "“一企一码”扫码查询推广日", "全省放心消费承诺单位门店"],
                    ["3月13日", "3·15新闻发布会，发布年度报告和典型案例", "长沙"],
                    ["3月15日", "3·15国际消费者权益日主题活动", "长沙五一商圈"],
                    ["3月15日", "依法罚没物品集中销毁", "各市州"],
                    ["3月16日—3月31日", "食品安全“你点我检”", "线上投票，线下抽检"],
                ],
                source="湖南省市场监督管理局",
            ),
            figures(
                "2025年全省消费维权成效",
                (Y2025["pledge_units"], "万个", "放心消费承诺单位"),
                (Y2025["contacts"], "万件", "受理投诉、举报和咨询"),
                (Y2025["recovered"], "万元", "挽回经济损失"),
                (Y2025["disclosure_rate"], "%", "投诉信息公示率"),
                (Y2025["complaint_to_case"], "件", "办理“诉转案”"),
            ),
            para(
                "<h2>年度报告</h2>",
                "<p>《2025年湖南省消费者权益保护状况报告》已于3月13日发布，"
                "全面反映放心消费行动、12315投诉举报、消费投诉公示和重点领域整治情况。</p>",
            ),
            document(
                "annual_2025_pdf",
                title="《2025年湖南省消费者权益保护状况报告》摘要（PDF）",
                description="主要数据和工作情况",
            ),
            faq(
                "消费者维权问答",
                (
                    "遇到消费纠纷，第一步该做什么？",
                    "<p>先与经营者协商，同时保存好购物凭证、合同、聊天记录和商品实物。"
                    "协商不成的，可以拨打12315热线，或者登录全国12315平台投诉。</p>",
                ),
                (
                    "网购商品可以七天无理由退货吗？",
                    "<p>可以。依照《中华人民共和国消费者权益保护法》第二十五条，"
                    "网购商品自收到之日起七日内可以无理由退货，但定作商品、鲜活易腐商品、"
                    "拆封的音像制品和计算机软件等数字化商品、报纸期刊等除外。</p>",
                ),
                (
                    "在实体店买的东西能无理由退货吗？",
                    "<p>法律没有规定实体店必须无理由退货，但作出线下无理由退货承诺的商家"
                    "必须履行承诺。可以扫描门店“一企一码”二维码查看商家承诺的期限和范围。</p>",
                ),
                (
                    "健身房、美容院关门“跑路”了怎么办？",
                    "<p>及时保存预付卡、合同、充值记录和门店现状照片，与其他会员一起向当地市场监管部门"
                    "投诉或拨打12315；涉嫌诈骗的，向公安机关报案。</p>",
                ),
                (
                    "投诉后我的个人信息会被公开吗？",
                    "<p>不会。消费投诉信息公示只公开被投诉经营者和处理结果，"
                    "投诉人的姓名、电话、地址等个人信息一律不公示。</p>",
                ),
            ),
        ],
    },
    {
        "slug": "315-2025",
        "title": "2025年3·15专题",
        "year": 2025,
        "theme": "共筑满意消费",
        "date": date(2025, 3, 1),
        "show_in_menus": False,
        "listing_image": "calendar",
        "intro": "2025年3·15国际消费者权益日，全省市场监管部门围绕“共筑满意消费”年主题，"
        "开展新闻发布、典型案例发布和消费维权宣传“五进”活动。",
        "body": [
            para(
                "<h2>年度主题</h2>",
                "<p>2025年3·15国际消费者权益日，全省市场监管部门围绕“共筑满意消费”年主题，"
                "召开3·15新闻发布会，发布2024年度消费者权益保护状况报告和消费维权典型案例，"
                "组织开展3·15执法行动、食品安全“你点我检”和消费维权宣传进社区、进农村、"
                "进学校、进企业、进商圈“五进”活动。</p>",
            ),
            figures(
                "2024年全省消费维权成效",
                (Y2024["pledge_units"], "万个", "放心消费承诺单位"),
                (Y2024["contacts"], "万件", "受理投诉、举报和咨询"),
                (Y2024["disclosure_rate"], "%", "投诉信息公示率"),
            ),
        ],
    },
]
