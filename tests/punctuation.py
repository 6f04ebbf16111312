"""Finding half-width punctuation in Chinese text: on rendered pages and in the sources.

Chinese text takes full-width marks (，。：；（）！？“”). A half-width mark is wrong where it
touches a Chinese character: between two of them (退货,预付卡), right after one (退货. at the end
of a sentence, 地址: before a value), or as a bracket or quote around Chinese (订阅(RSS),
"优选"). Everything else is left alone: numbers (3.5, 12,315), addresses and file names
(fangxin.gov.cn, 投诉公示.csv), and English next to Chinese (IT培训, Wagtail CMS: …).
"""

import io
import re
import tokenize
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# Han ideographs, and the CJK and full-width punctuation that stands in their place (、。《》（）…).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = HAN + "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026"
HALF_WIDTH = re.compile(
    rf"[{CJK}”][,:;!?]"  # 退货,  地址:  真伪?  “优选”,
    rf"|[{CJK}”]\.(?![A-Za-z0-9_])"  # 退货.  but not 公示.csv
    rf"|[,.:;!?][{HAN}]"  # ,预付卡  12315.请
    rf"|[{CJK}][()]|[()][{CJK}]"  # 订阅(RSS)  (全市)  (12315)热线
    rf"|[{CJK}]\"|\"[{CJK}]"  # "优选"
)


def half_width_marks(text, context=12):
    """Each offending mark in ``text`` as a snippet with the mark in the middle."""
    return [
        text[max(0, match.start() - context) : match.end() + context].replace("\n", " ")
        for match in HALF_WIDTH.finditer(text)
    ]


# --- rendered pages ------------------------------------------------------------------------

# What a reader reads besides the text: these attributes are shown or spoken.
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
READ_META = {"description", "og:title", "og:description", "og:site_name", "twitter:title"}
# Code, not prose: an API example or a query string may carry any character.
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp", "textarea"}


class _ReadText(HTMLParser):
    """Collects (line, text) of what is read: text outside code, and the read attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        attrs = dict(attrs)
        read = [attrs[name] for name in sorted(READ_ATTRIBUTES & attrs.keys())]
        if tag == "meta" and (attrs.get("name") or attrs.get("property")) in READ_META:
            read.append(attrs.get("content"))
        line = self.getpos()[0]
        # Apart from the text around them: an attribute is read on its own.
        self.parts.extend((line, f"\n{value}\n") for value in read if value)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append((self.getpos()[0], data))


def read_parts(html):
    parser = _ReadText()
    parser.feed(html)
    parser.close()
    return parser.parts


def readable_text(html):
    """The words of an HTML page or fragment a reader sees or hears, code samples left out."""
    return "".join(text for _line, text in read_parts(html))


# --- sources -------------------------------------------------------------------------------


@dataclass
class Finding:
    path: Path
    line: int
    text: str  # the string as written in the source

    def __str__(self):
        return f"{self.path}:{self.line}: {self.text[:100]}"


def python_strings(source):
    """(line, text) of each string of a module, implicit concatenations joined, except
    docstrings and raw strings."""
    tokens = [
        token
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type not in (tokenize.COMMENT, tokenize.NL)
    ]
    statement_start = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    index = 0
    while index < len(tokens):
        if tokens[index].type != tokenize.STRING:
            index += 1
            continue
        end = index
        while end + 1 < len(tokens) and tokens[end + 1].type == tokenize.STRING:
            end += 1
        before = tokens[index - 1].type if index else tokenize.NEWLINE
        after = tokens[end + 1].type if end + 1 < len(tokens) else tokenize.NEWLINE
        literals = [string_literal(token.string) for token in tokens[index : end + 1]]
        docstring = before in statement_start and after == tokenize.NEWLINE
        # A raw string or bytes is a pattern or data, not prose.
        if not docstring and all(prefix not in ("r", "b") for prefix, _ in literals):
            yield tokens[index].start[0], "".join(body for _, body in literals)
        index = end + 1


def string_literal(written):
    """(kind, body) of a string literal as written: kind "r", "b", "f" or ""."""
    prefix = re.match(r"[A-Za-z]*", written).group().lower()
    body = written[len(prefix) :]
    quote = body[:3] if body[:3] in ('"""', "'''") else body[0]
    kind = "r" if "r" in prefix else "b" if "b" in prefix else "f" if "f" in prefix else ""
    return kind, body[len(quote) : -len(quote)]


TEMPLATE_STRING = re.compile(r"""\{%\s*(?:translate|trans)\s+("[^"]*"|'[^']*')""")
TEMPLATE_TAG = re.compile(
    r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S
)


def template_strings(source):
    """(line, text) of the prose of a template: its text and attributes, and translate strings."""
    for match in TEMPLATE_STRING.finditer(source):
        yield source.count("\n", 0, match.start()) + 1, match.group(1)[1:-1]
    # Template tags become a neutral placeholder so they neither hide nor make a mark.
    text = TEMPLATE_TAG.sub(lambda m: "X" + "\n" * m.group().count("\n"), source)
    lines = {}
    for line, part in read_parts(text):
        lines[line] = lines.get(line, "") + part
    yield from lines.items()


# A regular expression or a set of marks written as a string (姓(, "，,。."): not prose.
PATTERN = re.compile(r"\(\?|\\u[0-9a-f]{4}|\]\?|\[\^")
PROSE = re.compile(rf"[{HAN}]{{2}}")


def is_prose(text):
    return bool(PROSE.search(text)) and not PATTERN.search(text)


PO_MESSAGE = re.compile(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', re.M)
PO_PART = re.compile(r'"((?:[^"\\]|\\.)*)"')


def po_strings(source):
    """(line, text) of each translation of a gettext catalogue (the project's own wording)."""
    for match in PO_MESSAGE.finditer(source):
        text = "".join(PO_PART.findall(match.group(1)))
        yield source.count("\n", 0, match.start()) + 1, text.replace('\\"', '"')


def strings_of(path, source):
    if path.suffix == ".py":
        return python_strings(source)
    if path.suffix == ".po":
        return po_strings(source)
    return template_strings(source)


def source_findings(root, folders, suffixes=(".py", ".html", ".txt", ".xml", ".po")):
    findings = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in suffixes or "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            for line, text in strings_of(path, source):
                if is_prose(text) and half_width_marks(text):
                    findings.append(Finding(path.relative_to(root), line, text))
    return findings
