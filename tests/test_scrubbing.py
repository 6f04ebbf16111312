"""Complaint text is masked before it is stored: each kind of personal data, and nothing else."""

import pytest

from disclosures.scrubbing import describe_counts, scrub


@pytest.mark.parametrize(
    ("text", "masked", "kind", "secret"),
    [
        ("联系电话13812345678,请尽快处理", "联系电话138****5678,请尽快处理", "mobile", "12345678"),
        ("手机:+86 139 0731 2468", "手机:139****2468", "mobile", "0731 2468"),
        ("座机0731-84561234", "座机0731-****1234", "landline", "8456"),
        ("电话(0744)8221234", "电话(0744)****1234", "landline", "822"),
        (
            "身份证430104199001011234。",
            "身份证4301**********1234。",
            "id_number",
            "19900101",
        ),
        ("身份证号43010419900101123X", "身份证号4301**********123X", "id_number", "19900101"),
        ("老身份证430104900101123", "老身份证4301*******1123", "id_number", "900101"),
        (
            "退款到银行卡6222 0212 3456 7890 128",
            "退款到银行卡6222***********0128",
            "bank_card",
            "3456",
        ),
        ("邮箱wang.li@163.com", "邮箱w***@163.com", "email", "wang.li"),
        ("QQ号:123456789", "QQ号:12*******", "qq", "3456789"),
        ("微信号:liming_88", "微信号:l********", "wechat", "iming_88"),
        ("车牌湘A·D12345的新能源车", "车牌湘A******的新能源车", "plate", "D12345"),
        ("车牌湘A12345的车", "车牌湘A*****的车", "plate", "12345"),
        ("本人张三丰于3月15日购买", "本人张某于3月15日购买", "name", "三丰"),
        ("消费者李明反映商家跑路", "消费者李某反映商家跑路", "name", "李明"),
        ("我叫欧阳娜娜,在该店消费", "我叫欧阳某,在该店消费", "name", "娜娜"),
        ("投诉人:刘德华称", "投诉人:刘某称", "name", "德华"),
    ],
)
def test_each_kind_of_personal_data_is_masked_readably(text, masked, kind, secret):
    result = scrub(text)
    assert result.text == masked
    assert result.counts[kind] == 1
    assert secret not in result.text


@pytest.mark.parametrize(
    "text",
    [
        "消费者于2025年10月1日购买商品,要求退货退款2999.00元",
        "订单号20250315123456789012未发货",  # not a card: fails the Luhn check
        "售后服务电话400-800-1234,12315热线",
        "投诉人王女士称预付卡余额3000元无法使用",  # already anonymous
        "商家承诺7天无理由退货,2026年3月15日前有效,价格¥1,299",
        "消费者在长沙市芙蓉区五一大道1号购买",
        "iPhone 16 Pro Max 256GB 型号A3296",
    ],
)
def test_ordinary_text_prices_dates_and_hotlines_are_left_alone(text):
    result = scrub(text)
    assert result.text == text
    assert not result.counts


def test_one_summary_with_many_kinds_is_fully_masked_and_counted():
    text = (
        "本人张三于2025年3月15日在该店购买手机,价格5999元,联系电话13812345678,"
        "备用13987654321,身份证430104199001011234,微信zhangsan_2025,邮箱zs@qq.com。"
    )
    result = scrub(text)
    for secret in ("张三", "12345678", "87654321", "199001011234", "zhangsan_2025", "zs@"):
        assert secret not in result.text
    assert result.counts == {"name": 1, "mobile": 2, "id_number": 1, "wechat": 1, "email": 1}
    assert "5999元" in result.text and "2025年3月15日" in result.text
    assert describe_counts(result.counts) == (
        "身份证号 1 处、手机号 2 处、电子邮箱 1 处、微信号 1 处、姓名 1 处"
    )


def test_scrubbing_is_stable_on_already_masked_text():
    once = scrub("联系电话13812345678,本人张三丰于今日投诉").text
    assert scrub(once).text == once
