"""Telling a consumer's name from an ordinary word after 消费者, 投诉人, 本人, 我叫, 姓名： …

Complaint summaries name people right after a few words (消费者郭磊反映, 本人张三丰于3月…,
姓名：张三丰), and the same words are followed far more often by ordinary words, many of which
start with a character that is also a surname: 消费者申请退款, 消费者于该店, 投诉人马上联系,
客户常年在此消费, 消费者高度怀疑, 顾客方便时. ``name_length`` decides for the few characters
after such a word, with three kinds of evidence, each measured on ``tests/data/scrubbing_*``:

* the given name is made of characters names are made of (伟, 丽, 涛; not 请, 上, 年, 包);
* the name ends where a name ends: before 反映, 称 or a comma (surely), or before 于, 在, 向,
  电话, another word of the dictionary or the end of the text (less surely: then no word may
  stand across the boundary, and 于国庆, 和朋友 are checked as words);
* jieba's dictionary does not know what follows the trigger word as an ordinary word (凌晨 t,
  文件 n, 马上 d, 高峰期 n, 于心不忍 i). Its tags are rough both ways: it tags ordinary words as
  names (卫星, 毛巾, 高峰 ``nr``) and names as places or things (徐洋 ``ns``, 高军 ``n``,
  何国 ``r``); both pass only before 反映 or a comma (a "place" also before 在 or 于), and a
  time, verb or adverb never does.

Given names of rarer characters (宋祎, 黄渤) are taken before 反映 or a comma when nothing
says otherwise. Only jieba's dictionary file is read, not its segmenter. Tagging the window with
``jieba.posseg`` was tried first: it loads in two seconds and 130 MB, takes 70 to 110 µs a call,
tags ordinary words as names (毛巾, 师傅, 古董 ``nr``) and cuts names wrongly (姜子/健在,
何 ``r`` + 建国); as the deciding test it found fewer names and changed more ordinary text.
"""

import functools
import hashlib
import io
import logging
import marshal
import os
import sys
import threading
from pathlib import Path

from common.work_dir import work_dir

# After these a name is expected (我叫王大锤): a given name of rarer characters passes too.
STRONG_NAME_TRIGGERS = (
    "我叫",
    "名叫",
    "名字叫",
    "名字是",
    "姓名",
    "联系人",
    "收货人",
    "收件人",
    "户名",
    "持卡人",
)
# After these a name often follows, and ordinary words more often still.
NAME_TRIGGERS = (
    "本人",
    "我是",
    "消费者",
    "投诉人",
    "投诉者",
    "申请人",
    "举报人",
    "委托人",
    "当事人",
    "客户",
    "顾客",
    "家属",
    "患者",
    "学员",
    "业主",
    "车主",
)
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "司徒",
    "夏侯",
    "端木",
    "宇文",
    "长孙",
    "南宫",
    "轩辕",
    "申屠",
    "钟离",
    "呼延",
)
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳"
    "甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解"
    "牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边"
    "卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
# The characters that can start a name: a cheap first test before anything else.
NAME_START_CHARS = SURNAMES | {surname[0] for surname in COMPOUND_SURNAMES}
# A surname followed by these is already anonymous: 王女士, 张先生, 李某.
ANONYMOUS = ("某", "女士", "先生", "小姐", "师傅", "阿姨", "老师", "经理", "同学", "总", "氏", "姓")
# The characters given names are made of (the common ones). The rest of a word that starts
# with a surname character rarely is: 马上, 申请, 钱包, 常年 are no names, 马丽, 申雪 are.
GIVEN_NAME_CHARS = set(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红志文斌浩宇鹏辉玲婷雪慧鑫欣怡佳晨"
    "梓涵轩琳颖思雨博诗晓海峰春梅丹凤云飞龙翔宏亮燕萍林波宁俊凯鸿彬帅锋毅健永东民福荣祥成德庆"
    "喜贵富安宝山仁义礼智信忠孝良才乐嘉欢悦瑶琪璐瑞睿晴雯倩茜薇蕾莉莎露冰月星阳光新正清泉源江"
    "河湖楠柏松竹菊莲荷蓉芬芝芸萱菲蓓璇瑾琦珍珠玉瑜琴璟嫣婉妍媛娇婧姝姗妮娅婕彤昕晖晗暄曦昊昱"
    "景皓振泽洪润淼森楷桐栋锦铭钰锐钧铮旭晟晋熙煜炜烨然焱耀辰宸逸远达迪运进骏驰腾鹤鸣鹰凌冬秋"
    "夏丰卫立兵武彪虎豹威雄壮力勋铁钢坚伦仪伶俐佩依伊仙娥姣娴婵巧莹菁青紫彩虹霏霖雅淑贤惠聪哲"
    "心意恩爱谊宾学书墨韵音若如可亦以承修嵩冲儿越凡子小大一天生朝金银桃杏萌琼君晶芷爽洁帆邦坤"
    "奇炎朗琛顺舟航川岩峻岳崇巍岚昆培基兆启豪彦魁冠翼雁莺鸾麟跃宙容花芙蔷柳樱苗芮芊茹荔菡蕊蕙"
    "黛霓霄霜靓瑟歌舞妙姿嫒琬琰瑛珊珏玥玫瑰绮素纯美善慈馨香澜滢漪潇湘沁沐汐洛溪淇凝昀昭晞暖灿"
    "炫焕三四奕沛伯仲叔季长来满全胜利增石图梦翠亚语诺程祎旻晔珺昶玮琮喆芃瑄妤琨璋珉钊铖锟韬骞"
    "赫轶佑"
)
# Never a given name on their own: 孙子, 老大, 白天, 全图.
NOT_A_GIVEN_NAME = set("子小大一儿天生长来全图石金利")
# What follows a full name, and so ends it: a word that says a person spoke (反映, 称), a
# punctuation mark, or less surely a word that starts the rest of the sentence (于, 在, 电话 …).
AFTER_NAME_SURELY = (
    "反映",
    "反应",
    "称",
    "表示",
    "说",
    "诉称",
    "投诉",
    "来电",
    "来访",
    "声称",
    "介绍",
    "陈述",
    "先生",
    "女士",
)
AFTER_NAME_LIKELY = tuple("于在因向到与和及跟同的对把被将从已曾也都就又还等为系是") + (
    "购买",
    "买了",
    "通过",
    "电话",
    "手机",
    "联系",
    "身份证",
    "家住",
    "现住",
    "今年",
    "要求",
    "拨打",
    "致电",
    "多次",
    "本人",
    "一家",
    "夫妇",
    "陪",
    "带",
    "一起",
)
_ENDING_STARTS = {ending[0] for ending in AFTER_NAME_SURELY + AFTER_NAME_LIKELY}
_LONGER_ENDINGS = {
    ending[:2] for ending in AFTER_NAME_SURELY + AFTER_NAME_LIKELY if len(ending) > 1
}
# Characters no given name holds: 向其反映, 许了, 常去 are no names before 反映 or a comma.
NEVER_IN_NAME = set(
    "的了着过们这那么什啥吗呢吧啊呀哦嗯是不没也都就还又再很太最更去来请把被让给对其"
)
# jieba's tags: a person's name, and the function words (于 p, 和 c, 曾 d, 其 r, 的 uj …).
PERSON_TAGS = ("nr", "nrfg", "nrt")
FUNCTION_TAGS = {"p", "c", "d", "r", "u", "uj", "ul", "uz", "ug", "ud", "uv", "f", "y", "e", "o"}
_PUNCTUATION = set("，,。.、；;：:！!？?（()）)“”\"'‘’《》<>【】[] \t\n\u3000")
# How surely a name ends: before 反映 (a person spoke), before a comma, before 于 or 在.
SPOKE, SURELY, LIKELY = 3, 2, 1
# The dictionary's proper nouns: a place (ns), another name (nz), an organisation (nt).
PROPER_NOUN_TAGS = ("ns", "nz", "nt")
# What follows the name of a place rather than of a person.
_PLACE_SUFFIXES = tuple("市省县区镇乡村路街道人")
# Tags of words that are never a name, whatever follows: times (凌晨 t), verbs, adjectives,
# adverbs, numbers, measure words, prepositions, conjunctions, particles.
WORD_TAGS = ("t", "v", "a", "d", "m", "q", "p", "c", "u", "f")
_CJK_FIRST, _CJK_LAST = "\u4e00", "\u9fff"

_lexicon_lock = threading.Lock()
_lexicon = None


def lexicon():
    """jieba's dictionary as word → part-of-speech tag (``nr`` a person, ``v`` a verb …), only
    the words a name check asks about: up to two characters, and up to four that start with a
    surname. Read once, when the first possible name is checked (25 MB), from the copy kept in
    the work folder (``_cache_path``) or else from the dictionary."""
    global _lexicon
    if _lexicon is None:
        with _lexicon_lock:
            if _lexicon is None:
                _lexicon = _cached_lexicon()
    return _lexicon


def _read_lexicon():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    words = {}
    # Line by line: the whole file as one text, then its lines, took 11 MB more than the
    # words kept, for as long as the process lived.
    with io.TextIOWrapper(jieba.get_dict_file(), encoding="utf-8") as handle:
        for line in handle:
            word, _frequency, tag = line.rstrip("\n").split(" ")
            if len(word) <= 2 or (
                len(word) <= 4 and (word[0] in SURNAMES or word.startswith(COMPOUND_SURNAMES))
            ):
                words[word] = sys.intern(tag)
    return words


# Why a copy: reading the dictionary's 349,000 lines takes 0.26 s, once per import (which lets
# the lexicon go when done, ``release``) and per web worker that checks a complaint; its words
# read back from a marshal file in 0.05 s. The file's name holds what the words depend on, so
# a new jieba, other surnames or another Python write a new one; so does a change to which
# words ``_read_lexicon`` keeps, once this number is raised with it.
_LEXICON_FORMAT = 1


def _cache_path():
    import jieba

    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).stat()
    depends_on = (
        _LEXICON_FORMAT,
        jieba.__version__,
        dictionary.st_size,
        dictionary.st_mtime_ns,
        sorted(SURNAMES),
        COMPOUND_SURNAMES,
        sys.version_info[:2],
    )
    key = hashlib.sha256(repr(depends_on).encode()).hexdigest()[:16]
    return work_dir("cache") / f"name-lexicon-{key}.marshal"


def _cached_lexicon():
    path = _cache_path()
    try:
        words = marshal.loads(path.read_bytes())
        if isinstance(words, dict) and words:
            return words
    except (OSError, EOFError, ValueError, TypeError):
        pass  # missing or damaged: read the dictionary and write it again
    words = _read_lexicon()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        temporary.write_bytes(marshal.dumps(words))
        os.replace(temporary, path)  # whole or not at all, whoever else writes it meanwhile
    except OSError:
        temporary.unlink(missing_ok=True)
    return words


def release():
    """Let go of the lexicon and the cached answers: an import's process, once its rows are
    scrubbed, holds 23 MB it may not need again. The next name check reads them again."""
    global _lexicon
    with _lexicon_lock:
        _lexicon = None
    name_length.cache_clear()


def _is_person(tag):
    return tag is not None and tag.startswith(PERSON_TAGS)


def _surname_of(window):
    for surname in COMPOUND_SURNAMES:
        if window.startswith(surname):
            return surname
    return window[0] if window[0] in SURNAMES else ""


def _ending(given, after, words, strong):
    """How surely a name ends between ``given`` and ``after``: SPOKE, SURELY, LIKELY or 0.

    The end of the text is an end where a name is asked for (我叫), else only a likely one (消费者
    许诺 is no name); so is a word of the dictionary (张伟办理健身卡), unless a word stands
    across the boundary (于春节期间 is no 于春 before 节期). Where the name is thin evidence
    (one given character, or rarer ones), a one-character word after it must not make a word
    with its last character either: 全武将 is no 全武 before 将, 单位名称 no 单位名 before 称.
    """
    if not after:
        return SURELY if strong else LIKELY
    if not _CJK_FIRST <= after[0] <= _CJK_LAST:
        return SURELY if after[0] in _PUNCTUATION else LIKELY
    if after.startswith(AFTER_NAME_SURELY):
        ending = SPOKE
    elif after.startswith(AFTER_NAME_LIKELY):
        ending = LIKELY
    elif len(after) > 1 and after[:2] in words and not _is_person(words[after[:2]]):
        return LIKELY if _no_word_across(given, after, words) else 0  # 张伟办理健身卡
    else:
        return 0
    if after[:2] in _LONGER_ENDINGS or (
        len(given) > 1 and all(char in GIVEN_NAME_CHARS for char in given)
    ):
        return ending
    return ending if _no_word_across(given, after, words) else 0


def _no_word_across(given, after, words):
    across = words.get(given[-1] + after[0])
    return across is None or _is_person(across)


def _word_after_a_preposition(surname, given, words):
    """于国庆, 和朋友: a surname that is also a preposition or conjunction (于, 和, 向), then a
    word the dictionary knows and does not take for a name."""
    if len(surname) > 1 or len(given) < 2 or words.get(surname) not in ("p", "c"):
        return False
    tag = words.get(given)
    return tag is not None and not _is_person(tag)


def _rare_name(surname, given, words, strong):
    """A given name of rarer characters (宋祎, 黄渤), before 反映, a comma or the end: after
    我叫 or 姓名： unless it holds a character no name does; after the other words, also not
    after a surname that is a function word (于当日，) nor when the given name is a word of its
    own that is no name."""
    if any(char in NEVER_IN_NAME for char in surname + given) or given[-1] in _ENDING_STARTS:
        return False  # 丁亥称，is no 丁亥 who spoke
    if strong:
        return True
    if len(surname) == 1 and words.get(surname) in FUNCTION_TAGS:
        return False
    tag = words.get(given)
    return tag is None or _is_person(tag) or (len(given) == 1 and tag not in FUNCTION_TAGS)


@functools.lru_cache(maxsize=20_000)
def name_length(window, strong=False):
    """(surname length, given name length) when ``window`` starts with a person's name, else
    None. ``window``: the Chinese characters right after a trigger word (up to eight), then the
    character that ends them if there is one; ``strong``: the trigger asks for a name (我叫,
    姓名：).

    The same few phrases recur across a large import (消费者向商家, 消费者于该店), hence the cache.
    """
    surname = _surname_of(window)
    rest = window[len(surname) :]
    if not surname or not rest or rest.startswith(ANONYMOUS):
        return None
    words = lexicon()
    for longer in (window[:4], window[:3]):
        tag = words.get(longer)
        if tag is None or _is_person(tag):
            continue
        # 于心不忍, 方便面, 高峰期: a longer word than a name. Three characters that read as a
        # name are one, though the dictionary takes them for a place (马建国 ns).
        given = longer[len(surname) :]
        looks_named = tag in PROPER_NOUN_TAGS and all(char in GIVEN_NAME_CHARS for char in given)
        if len(given) > 2 or not looks_named:
            return None
    for length in (2, 1):
        given, after = rest[:length], rest[length:]
        if len(given) < length or not all(_CJK_FIRST <= char <= _CJK_LAST for char in given):
            continue
        if length == 1 and given in NOT_A_GIVEN_NAME:
            continue
        ending = _ending(given, after, words, strong)
        if not ending:
            continue
        whole_tag = words.get(surname + given)
        if whole_tag is not None and not _is_person(whole_tag):
            # 凌晨, 申请, 文件: a word, not a name. The dictionary knows many names as places or
            # things, though (徐洋 ns, 高军 n, 何国 r): these are names before 反映 or a comma,
            # and a "place" also before 在 or 于, unless a place follows (沈阳市民, 岳阳县).
            place = whole_tag in PROPER_NOUN_TAGS and not after.startswith(_PLACE_SUFFIXES)
            if whole_tag.startswith(WORD_TAGS) or not (ending >= SURELY or place):
                continue
        elif whole_tag is not None and length == 1 and ending < SURELY:
            continue  # jieba tags 卫星 and 高峰 as names too: only before 反映 or a comma
        if all(char in GIVEN_NAME_CHARS for char in given):
            if ending >= SURELY or not _word_after_a_preposition(surname, given, words):
                return len(surname), length
        elif whole_tag is None and ending >= SURELY and _rare_name(surname, given, words, strong):
            return len(surname), length
    return None
