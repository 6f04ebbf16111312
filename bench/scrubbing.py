"""Scrubbing personal data: what it catches, what it leaves alone, and what it costs per row.

Usage: .venv/bin/python bench/scrubbing.py [--rows 200000] [--against REV] [--json]

Prints, for ``disclosures.scrubbing`` (and, with ``--against``, for the module as it was at a
git revision, e.g. the commit before a change):

* the corpus of ``tests/data/``: ordinary sentences changed, planted items missed, by kind;
* the import benchmark's rows (``demo/disclosure_rows.py``, as ``bench/disclosures.py``
  imports them): µs per row to scrub the summary and the request (best of three passes), and
  the items the generator planted that are still readable;
* two wider measures of the name check, which the corpus cannot be: the share of names found
  in a few thousand sentences built from common given names after the trigger words, and the
  share of sentences changed when a common word of jieba's dictionary (no name, place or brand)
  that starts with a surname character stands after a trigger word, used as a word
  (消费者申请后要求退款, 本人高度在该店).

Target: scrubbing adds no more than about 15 µs per row to the import, against the scrubbing
of before (the import must stay >= 10,000 rows/s at 1,000,000 rows).
"""

import argparse
import importlib.util
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on the path: the project root takes its place.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

from bench.report import Report, add_json_option  # noqa: E402

TARGET_EXTRA_US_PER_ROW = 15.0
# Common given names, written down apart from the name check's own character list.
GIVEN_NAMES = (
    "建华 秀英 桂英 秀兰 玉兰 淑珍 凤英 玉珍 春梅 丽华 海燕 志强 建军 国强 建国 永刚 "
    "志刚 红梅 晓燕 晓东 立新 卫东 爱国 建平 海涛 海波 雪梅 艳红 丽娟 晓丽 婷婷 欣怡 "
    "梓涵 子轩 浩宇 宇轩 一诺 若汐 梓萱 诗涵 雨桐 思彤 欣妍 紫涵 梦瑶 子墨 皓轩 俊杰 "
    "博文 天佑 明哲 嘉怡 佳琪 雨泽 宇航 昊然 梓豪 沐宸 铭泽 锦程 奕辰 亦菲 可馨 语桐 "
    "一鸣 云飞 振华 德胜 长青 金凤 来福 有才 文斌 子健 鹏飞 亚楠 璐瑶 晓庆 兆丰 宏图 "
    "永福 玉梅 素芬 美玲 彩霞 翠花 春燕 小芳 丹丹 莉莉 伟 芳 娜 敏 静 丽 "
    "强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 琳 颖 "
    "斌 鹏 辉 玲 婷 雪 慧 鑫 欣 峰 凯 帆 瑶 悦 然 彤 "
    "翊 骁 垚 淼 喆 祎 俊熙 思远 嘉豪 泽宇 晓婷 佳怡 丽萍 建新 国华 红霞"
).split()
NAME_CONTEXTS = (
    "消费者{}反映，",
    "本人{}于2025年",
    "我叫{}，电话",
    "投诉人{}称",
    "联系人：{}，",
    "消费者{}在该店购买",
    "客户{}向商家",
    "顾客{}要求退款",
    "姓名：{}",
    "我是{}，",
    "申请人{}表示",
    "消费者{}和商家协商",
    "本人{}办理会员卡",
    "消费者{}前往门店",
)


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()


def module_at(revision):
    """disclosures/scrubbing.py as it was at ``revision``, imported beside today's."""
    source = subprocess.run(
        ["git", "show", f"{revision}:disclosures/scrubbing.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.TemporaryDirectory(prefix="scrubbing-") as folder:
        path = Path(folder) / "scrubbing_then.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("disclosures.scrubbing_then", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


def per_row_us(scrub, rows):
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for summary, request in rows:
            scrub(summary)
            scrub(request)
        best = min(best, time.perf_counter() - start)
    return best / len(rows) * 1e6


def print_corpus(label, scrub):
    from tests.scrubbing_corpus import figures

    result = figures(scrub)
    planted, missed = result["planted"], result["missed"]
    by_kind = ", ".join(f"{kind} {missed[kind]}/{planted[kind]}" for kind in sorted(planted))
    print(
        f"{label}: clean sentences changed {len(result['changed'])}/{result['clean']}; "
        f"items missed {sum(missed.values())}/{sum(planted.values())} ({by_kind}); "
        f"sentences miscounted {len(result['miscounted'])}"
    )
    for sentence in result["changed"][:5]:
        print(f"    changed: {sentence} → {scrub(sentence).text}")
    return result


def planted_by_the_generator(scrub, rows):
    """(planted, still readable) of the generator's names, mobiles and ID numbers."""
    from demo.content import disclosures as words
    from disclosures.scrubbing import ID_18_RE, MOBILE_RE

    name_re = re.compile(
        f"(?:本人|消费者|我叫)([{words.SURNAMES}][{words.GIVEN}]{{1,2}})(?=[,，]|反映)"
    )
    planted, missed = Counter(), Counter()
    for summary, _request in rows:
        masked = None
        for kind, found in (
            ("name", name_re.findall(summary)),
            ("mobile", [m.group(0) for m in MOBILE_RE.finditer(summary)]),
            ("id_number", [m.group(0) for m in ID_18_RE.finditer(summary)]),
        ):
            for item in found:
                masked = masked if masked is not None else scrub(summary).text
                planted[kind] += 1
                missed[kind] += item in masked
    return planted, missed


def name_measures(scrub):
    """(names found, names planted) in sentences of common names, and (changed, sentences) of
    dictionary words after trigger words."""
    from disclosures.personal_names import COMPOUND_SURNAMES, SURNAMES, lexicon

    rng = random.Random(7)
    surnames = sorted(SURNAMES)
    found = 0
    tries = 3000
    for _ in range(tries):
        surname, given = rng.choice(surnames), rng.choice(GIVEN_NAMES)
        context = rng.choice(NAME_CONTEXTS)
        masked = scrub(context.format(surname + given)).text
        found += surname + given not in masked and surname + "某" in masked
    words = lexicon()
    # Common words: jieba takes them for no person, place, brand or organisation.
    ordinary = [
        word
        for word, tag in words.items()
        if 2 <= len(word) <= 4
        and not tag.startswith(("nr", "ns", "nz", "nt"))
        and (word[0] in SURNAMES or word.startswith(COMPOUND_SURNAMES))
    ]
    changed = sentences = 0
    for word in ordinary:
        for trigger in ("消费者", "本人", "投诉人", "客户", "我叫", "姓名："):
            for after in ("后要求退款", "在该店"):
                sentence = trigger + word + after
                sentences += 1
                changed += scrub(sentence).text != sentence
    return found, tries, changed, sentences


def _prefix(label):
    """Today's module's figures by their plain names; the revision's under ``against.``."""
    return "" if label == "now" else "against."


def _none_for(label):
    """The tests hold today's module to nothing changed or missed; a revision is a baseline."""
    return (0, "==") if label == "now" else (None, None)


def corpus_figures(report, label, result):
    prefix, none = _prefix(label), _none_for(label)
    planted, missed = result["planted"], result["missed"]
    report.add(f"{prefix}corpus.clean_changed", len(result["changed"]), "sentences", *none)
    report.add(f"{prefix}corpus.missed", sum(missed.values()), "items", *none)
    for kind in sorted(planted):
        report.add(f"{prefix}corpus.missed[{kind}]", missed[kind], "items")
    report.add(f"{prefix}corpus.miscounted", len(result["miscounted"]), "sentences", *none)


def generator_figures(report, label, us_per_row, planted, missed):
    prefix = _prefix(label)
    report.add(f"{prefix}generator.per_row", us_per_row, "µs")
    for kind in sorted(planted):
        report.add(f"{prefix}generator.readable[{kind}]", missed[kind], "items", *_none_for(label))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--against", help="a git revision to compare with (its scrubbing.py)")
    add_json_option(parser)
    args = parser.parse_args()
    setup_django()
    report = Report("scrubbing", rows=args.rows, against=args.against)

    from demo.disclosure_rows import generate_rows
    from disclosures.scrubbing import scrub

    modules = [("now", scrub)]
    if args.against:
        modules.insert(0, (args.against, module_at(args.against).scrub))

    for label, each in modules:
        corpus_figures(report, label, print_corpus(f"corpus, {label}", each))

    start = time.perf_counter()
    rows = [(row[7], row[8]) for row in generate_rows(args.rows)]
    print(f"generated {len(rows):,} rows in {time.perf_counter() - start:.1f} s")
    timings = {}
    for label, each in modules:
        each("本人王伟，")  # the name check reads its dictionary once, before the clock starts
        timings[label] = per_row_us(each, rows)
        planted, missed = planted_by_the_generator(each, rows)
        items = ", ".join(f"{kind} {missed[kind]}/{planted[kind]}" for kind in sorted(planted))
        print(
            f"generator rows, {label}: {timings[label]:.1f} µs per row (summary and request, "
            f"best of 3); planted items still readable: {items}"
        )
        generator_figures(report, label, timings[label], planted, missed)
    if args.against:
        extra = timings["now"] - timings[args.against]
        verdict = "OK" if extra <= TARGET_EXTRA_US_PER_ROW else "MISSED"
        print(f"extra per row: {extra:+.1f} µs [{verdict} <= {TARGET_EXTRA_US_PER_ROW:.0f}]")
        report.add("generator.extra_per_row", extra, "µs", TARGET_EXTRA_US_PER_ROW, "<=")

    for label, each in modules:
        found, tries, changed, sentences = name_measures(each)
        print(
            f"names, {label}: found {found}/{tries} ({found / tries:.1%}) common names after "
            f"trigger words; common words after a trigger changed {changed}/{sentences} "
            f"({changed / sentences:.2%})"
        )
        prefix = _prefix(label)
        report.add(f"{prefix}names.found", found / tries, "share")
        report.add(f"{prefix}names.common_words_changed", changed / sentences, "share")
    report.emit(args.json)


if __name__ == "__main__":
    main()
