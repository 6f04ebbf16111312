"""Complaint text is masked before it is stored: each kind of personal data, and nothing else.

The corpus in ``tests/data/`` holds a few hundred sentences as 12315 summaries are typed: none
of the ordinary ones may change, every planted item of the others must be gone and counted.
"""

from collections import Counter

import pytest

from demo import disclosure_rows
from demo.content import disclosures as demo_words
from disclosures.scrubbing import ID_18_RE, MOBILE_RE, describe_counts, scrub

from .scrubbing_corpus import clean_sentences, personal_sentences, still_there


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


# --- the corpus -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [pytest.param(sentence, id=f"clean-line-{line}") for line, sentence in clean_sentences()],
)
def test_no_ordinary_sentence_of_the_corpus_is_changed(sentence):
    result = scrub(sentence)
    assert result.text == sentence, f"{sentence} → {result.text}"
    assert not result.counts


@pytest.mark.parametrize(
    ("sentence", "items"),
    [
        pytest.param(sentence, items, id=f"personal-line-{line}")
        for line, sentence, items in personal_sentences()
    ],
)
def test_every_planted_item_of_the_corpus_is_masked_and_counted(sentence, items):
    result = scrub(sentence)
    for kind, secret in items:
        assert secret in sentence  # the corpus line itself is right
        assert not still_there(secret, result.text), f"{kind} {secret}: {sentence} → {result.text}"
    assert result.counts == Counter(kind for kind, _ in items), f"{sentence} → {result.text}"


# --- the forms of issue 9 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "姓名：张三丰，电话１３９１２３４５６７８，QQ：987654321，微信：lisi_2024。",
            "姓名：张某，电话１３９****５６７８，QQ：98*******，微信：l********。",
        ),
        ("联系人：赵四丰", "联系人：赵某"),
        ("身份证号４３０１０４１９９００１０１１２３４", "身份证号４３０１**********１２３４"),
        ("退款请发zhaosi＠qq.com", "退款请发z***@qq.com"),
        ("电话138.1234.5678", "电话138****5678"),
        ("我姓张名三丰", "我姓张名某"),
        ("我是消费者郭磊", "我是消费者郭某"),
    ],
)
def test_the_forms_people_type_are_masked_where_they_stand(text, masked):
    assert scrub(text).text == masked


@pytest.mark.parametrize(
    "text",
    [
        "消费者申请退款",
        "消费者于该店购买手机",
        "消费者向商家反映问题",
        "投诉人马上联系了商家",
        "消费者高度怀疑",
        "顾客方便时",
        "消费者许诺",
        "本人曾多次",
        "消费者万分着急",
        "消费者钱包被盗",
    ],
)
def test_a_word_after_a_trigger_word_is_not_taken_for_a_name(text):
    assert scrub(text).text == text


def test_an_order_number_is_told_from_a_card_by_the_word_before_it():
    order_number = "2025945807302156"  # 16 digits that pass the Luhn check
    for before in ("订单号", "订单编号：", "快递单号", "交易流水号", "交易号：", "商品编号"):
        assert scrub(f"{before}{order_number}未发货").text == f"{before}{order_number}未发货"
    for before in ("卡号", "银行卡", "储蓄卡：", "信用卡", "账号", "转账到"):
        assert scrub(f"{before}{order_number}").text == f"{before}2025********2156"
    # With no word at all it is masked, as before: a card must never be published.
    assert scrub(f"退款{order_number}").text == "退款2025********2156"
    # The nearest word counts.
    text = f"订单号2025224154990959，退款到银行卡{order_number}"
    assert scrub(text).text == "订单号2025224154990959，退款到银行卡2025********2156"


def test_the_demo_generator_s_planted_items_are_all_masked():
    """The import format's generator (demo and benchmark) plants names, phones and ID numbers
    in its own forms: every one is masked."""
    respondents = [("长沙市麓谷优选食品商行", "", "430104", "岳麓区", "", "一般食品")]
    for row in disclosure_rows.generate_rows(2000, respondents=respondents):
        masked = scrub(row[7]).text
        assert MOBILE_RE.search(masked) is None, masked
        assert ID_18_RE.search(masked) is None, masked


def test_every_name_the_demo_generator_can_plant_is_masked():
    """Each of its names in each of its forms, 高军 and 何国 (words to jieba) included."""
    surnames, given = demo_words.SURNAMES, demo_words.GIVEN
    names = [s + g for s in surnames for g in given] + [
        s + g + h for s in surnames for g in given for h in given
    ]
    person = {"mobile": "13907311234", "id_number": "430104199001011234"}
    missed = []
    for template in demo_words.PERSONAL:
        if "{name}" not in template:
            continue
        for name in names:
            text = template.format(name=name, **person) + "商家拒绝退货。"
            if name in scrub(text).text:
                missed.append(text)
    assert not missed, missed[:20]


@pytest.fixture
def own_lexicon_copy(settings, tmp_path):
    """A work folder of this test's own, and no lexicon in memory before or after it."""
    from disclosures import personal_names

    settings.IMPORT_WORK_DIR = tmp_path
    personal_names.release()
    yield personal_names
    personal_names.release()


def test_names_are_masked_the_same_with_the_lexicon_read_from_its_copy(own_lexicon_copy):
    """The first process reads jieba's dictionary and keeps a copy of the words; the next one
    reads the copy, and the same words make the same decisions."""
    personal_names = own_lexicon_copy
    text = "消费者郭磊反映该店拒绝退款，消费者申请退款后投诉人马上联系了商家。"

    first = scrub(text)
    assert personal_names._cache_path().exists()
    personal_names.release()
    again = scrub(text)

    assert (
        first.text
        == again.text
        == "消费者郭某反映该店拒绝退款，消费者申请退款后投诉人马上联系了商家。"
    )
    assert personal_names.lexicon() == personal_names._read_lexicon()


def test_a_damaged_copy_of_the_lexicon_is_read_again_from_the_dictionary(own_lexicon_copy):
    personal_names = own_lexicon_copy
    path = personal_names._cache_path()
    path.write_bytes(b"\x00not marshal")

    assert personal_names.lexicon() == personal_names._read_lexicon()
    assert path.read_bytes() != b"\x00not marshal"  # written again, whole
