import unicodedata

from search.text_analysis import (
    ASCII_FORMS,
    QueryTerm,
    index_text,
    index_tokens,
    normalize,
    query_terms,
    relaxed_terms,
)


def test_chinese_run_becomes_overlapping_bigrams_and_its_last_character():
    assert index_tokens("预付卡") == ["预付", "付卡", "卡"]


def test_every_two_character_substring_is_a_token():
    tokens = set(index_tokens("商家承诺七日无理由退货"))
    text = "商家承诺七日无理由退货"
    assert {text[i : i + 2] for i in range(len(text) - 1)} <= tokens


def test_punctuation_splits_runs_and_latin_words_are_lower_cased():
    assert index_tokens("拨打12315!APP下单") == ["拨打", "打", "12315", "app", "下单", "单"]


def test_full_width_letters_and_digits_are_normalised():
    assert index_tokens("１２３１５热线") == index_tokens("12315热线")


def test_normalize_gives_nfkc_whatever_stands_beside_a_full_width_form():
    """The full-width and small forms are mapped ahead of NFKC (a shortcut): the text that comes
    out is NFKC's, lower-cased, for each of them alone, beside ordinary text, beside a combining
    mark (Ｅ + ́ composes to é) and beside half-width katakana with its voicing mark."""
    full_width = [chr(code) for code in (*range(0xFF01, 0xFF5F), 0x3000, *ASCII_FORMS)]
    neighbours = ["", "消费者反映", "\u0301", "ﾀﾞ", "①", "Ｅ\u0301，"]
    for form in full_width:
        for before in neighbours:
            for after in neighbours:
                text = before + form + after
                assert normalize(text) == unicodedata.normalize("NFKC", text).lower(), text
    summary = "消费者王先生称：购买的手机（型号ＡＢＣ－１）屏幕有问题，要求退货！"
    assert normalize(summary) == "消费者王先生称:购买的手机(型号abc-1)屏幕有问题,要求退货!"


def test_index_text_is_space_separated_for_the_fulltext_column():
    assert index_text("跑路") == "跑路 路"


def test_two_character_query_is_one_token():
    assert query_terms("退货") == [QueryTerm(("退货",))]


def test_longer_query_is_a_phrase_of_adjacent_bigrams():
    assert query_terms("预付卡") == [QueryTerm(("预付", "付卡"))]
    assert query_terms("预付卡")[0].text == "预付卡"


def test_single_character_query_is_a_prefix_term():
    assert query_terms("卡") == [QueryTerm(("卡",), prefix=True)]


def test_spaces_separate_terms_and_duplicates_collapse():
    assert query_terms(" 退货  健身房 退货 ") == [
        QueryTerm(("退货",)),
        QueryTerm(("健身", "身房")),
    ]


def test_query_of_only_punctuation_has_no_terms():
    assert query_terms("!!,。 ") == []


def test_relaxed_terms_split_long_phrases_into_bigrams():
    assert relaxed_terms(query_terms("预付卡跑路")) == [
        QueryTerm(("预付",)),
        QueryTerm(("付卡",)),
        QueryTerm(("卡跑",)),
        QueryTerm(("跑路",)),
    ]
