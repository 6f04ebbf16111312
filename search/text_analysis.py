"""The one text analysis for Chinese search, used both to index text and to parse queries.

Why overlapping character bigrams rather than a word segmenter such as jieba:
- Recall is exact. Any run of two or more Chinese characters a reader types is found wherever it
  appears as a substring: 退货 inside 无理由退货, 预付 inside 预付卡. A segmenter cuts 预付卡 into
  one word and then misses 预付, and it cuts new words (商家名, 网络用语) unpredictably.
- No dictionary to ship, load (jieba takes about a second) or keep in step with the index.
- Every engine matches these same tokens: the database stores them (FTS5, tsvector), and the
  Elasticsearch document carries them in a field split only on spaces
  (``disclosures.engines.es_documents``), so both find the same records; Elasticsearch's own
  ``cjk`` analyzer, close as it is, drops English stop words (IT培训) and keeps 3.5 whole.

Index side: a Chinese run becomes its bigrams plus its last character on its own, so that a
one-character query can be answered by a prefix match (every character then starts some token).
Latin letters and digits become lower-case words (APP, 12315, 618). Query side: a Chinese run of
two or more characters becomes a phrase of its bigrams (adjacent, in order), one character a
prefix term; terms separated by spaces or punctuation must all match. When a long phrase
matches nothing, the search falls back to any of its bigrams, ranked by how many match.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

import opencc

# CJK Unified Ideographs, Extension A and Compatibility Ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[0-9a-z]+")

# Longer queries than this are cut: nobody types them, and they would only cost time.
MAX_QUERY_TERMS = 12


def _ascii_forms():
    """Full-width and small forms → their ASCII character: NFKC, where it is one to one."""
    table = {}
    for code in range(0x3000, 0x10000):
        char = chr(code)
        if not unicodedata.decomposition(char).startswith(("<wide>", "<small>")):
            continue
        ascii_form = unicodedata.normalize("NFKC", char)
        if len(ascii_form) == 1 and ascii_form.isascii():
            table[code] = ascii_form
    return table


# For ``str.translate``: NFKC's own mapping of the full-width and small forms that stand for one
# ASCII character (，：；（）！？ＡＢ１２, the ideographic space, ﹐), what makes most Chinese
# text fail NFKC's quick check. The scrubber matches on text mapped the same way.
ASCII_FORMS = _ascii_forms()
_HAS_ASCII_FORM = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in ASCII_FORMS) + "]"
).search


def normalize(text):
    """Full-width letters and digits to half-width (NFKC), then lower case."""
    text = text or ""
    # The full-width forms are mapped first, as NFKC maps them, so the same text comes out:
    # a summary with a ， then passes the quick check, and normalising it whole (4 µs for 30
    # characters, the larger part of tokenising it) is left for text that needs more.
    if _HAS_ASCII_FORM(text):
        text = text.translate(ASCII_FORMS)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


_to_simplified = None
_to_simplified_lock = threading.Lock()


def simplified(text):
    """Traditional characters folded to simplified (OpenCC t2s): a query typed in 繁體 (退貨)
    finds the records, which are written in simplified (退货). Simplified text comes back as it
    is. Only queries are folded; indexed text is the bureau's, in simplified."""
    global _to_simplified
    if text.isascii():
        return text
    if _to_simplified is None:
        with _to_simplified_lock:
            if _to_simplified is None:
                _to_simplified = opencc.OpenCC("t2s")
    return _to_simplified.convert(text)


def _is_cjk(run):
    # A run is all CJK or all [0-9a-z], so its first character tells which.
    return run[0] > "z"


def _runs(text):
    return _RUN_RE.findall(normalize(text))


def index_tokens(text):
    """Tokens to store for ``text``, in order, so phrase queries can rely on positions."""
    tokens = []
    for run in _runs(text):
        if _is_cjk(run):
            # Bigrams by pairing the run with itself shifted: C speed, a million rows an import.
            tokens.extend(map(str.__add__, run[:-1], run[1:]))
            tokens.append(run[-1])
        else:
            tokens.append(run)
    return tokens


def index_text(text):
    """Space-separated index tokens: the form the FTS5 and tsvector columns store."""
    return " ".join(index_tokens(text))


@dataclass(frozen=True)
class QueryTerm:
    """One thing a match must contain: a phrase of adjacent tokens, or a token prefix."""

    tokens: tuple
    prefix: bool = False

    @property
    def text(self):
        return "".join(self.tokens[:1] + tuple(t[-1] for t in self.tokens[1:]))


def query_terms(query):
    """Parse what a reader typed into terms that must all match."""
    terms = []
    for run in _runs(simplified(query or "")):
        if _is_cjk(run):
            if len(run) == 1:
                terms.append(QueryTerm((run,), prefix=True))
            else:
                terms.append(QueryTerm(tuple(run[i : i + 2] for i in range(len(run) - 1))))
        else:
            terms.append(QueryTerm((run,)))
    unique = list(dict.fromkeys(terms))
    return unique[:MAX_QUERY_TERMS]


def relaxed_terms(terms):
    """Each bigram on its own, for a second, any-term try when a long phrase finds nothing."""
    relaxed = []
    for term in terms:
        if term.prefix or len(term.tokens) < 3:
            relaxed.append(term)
        else:
            relaxed.extend(QueryTerm((token,)) for token in term.tokens)
    return list(dict.fromkeys(relaxed))


def highlight_words(query):
    """The plain strings to mark in a result snippet (simplified, as the snippet is)."""
    return _runs(simplified(query or ""))
