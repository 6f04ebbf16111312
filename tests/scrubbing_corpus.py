"""The scrubbing corpus in ``tests/data/``: ordinary complaint sentences, and sentences with
planted personal data, each with the part of every item that must be gone after scrubbing.

Read by ``tests/test_scrubbing.py`` (one test per sentence) and ``bench/scrubbing.py`` (the
figures).
"""

import unicodedata
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CLEAN = DATA / "scrubbing_clean.txt"
PERSONAL = DATA / "scrubbing_personal.tsv"


def _lines(path):
    """(line number, text) of the lines that are neither blank nor a # comment."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield number, line


def clean_sentences():
    """(line number, sentence) of the sentences that hold no personal data."""
    return list(_lines(CLEAN))


def personal_sentences():
    """(line number, sentence, [(kind, secret), …]) of the sentences with planted items."""
    sentences = []
    for number, line in _lines(PERSONAL):
        sentence, *items = line.split("\t")
        sentences.append((number, sentence, [tuple(item.split("=", 1)) for item in items]))
    return sentences


def _folded(text):
    return unicodedata.normalize("NFKC", text)


def still_there(secret, scrubbed):
    """Whether ``secret`` can still be read in ``scrubbed``, as typed or in half-width."""
    return secret in scrubbed or _folded(secret) in _folded(scrubbed)


def figures(scrub):
    """What ``scrub`` does to the corpus: clean sentences changed, items planted, items
    missed (each by kind), and sentences whose counts differ from what was planted."""
    changed = [sentence for _, sentence in clean_sentences() if scrub(sentence).text != sentence]
    planted, missed, miscounted = Counter(), Counter(), []
    for _, sentence, items in personal_sentences():
        result = scrub(sentence)
        for kind, secret in items:
            planted[kind] += 1
            if still_there(secret, result.text):
                missed[kind] += 1
        if result.counts != Counter(kind for kind, _ in items):
            miscounted.append(sentence)
    return {
        "clean": len(clean_sentences()),
        "changed": changed,
        "planted": planted,
        "missed": missed,
        "miscounted": miscounted,
    }
