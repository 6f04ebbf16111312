"""Chinese script conversion of a rendered HTML page: what a reader sees, nothing a program reads.

Converted: text between tags, and the attributes a reader sees or hears (title, alt,
placeholder, aria-label …, the labels portal.js swaps in, a button's value).
Left as rendered:
- <script>, <style> and comments: code, not text;
- <textarea> and every other attribute: an input's ``value`` is what the reader typed (a query
  typed in 繁體 stays as typed), an <option>'s ``value`` is what the server filters on (it must
  stay the simplified name the records carry), URLs are addresses;
- the script switch (between ``<!--script-switch-->`` markers), which the caller swaps itself.

All the texts of a page are converted in one call to the converter, joined by a private-use
character that no dictionary contains (so no phrase is matched across two texts).
"""

import re

_RAW = ("script", "style", "textarea")

# Any tag; quoted attribute values may contain ">".
_TAG = r"<[A-Za-z!/?](?:\"[^\"]*\"|'[^']*'|[^'\">])*>"
# The page cut by its markup: re.split gives texts at even and markup at odd positions. Markup is
# a comment, a raw element kept whole (<script>, <style>, <textarea>), or any other tag.
_SPLIT_RE = re.compile(
    r"(<!--.*?-->"
    + "".join(rf"|<{name}\b(?:\"[^\"]*\"|'[^']*'|[^'\">])*>.*?</{name}\s*>" for name in _RAW)
    + rf"|{_TAG})",
    re.S | re.I,
)
_SWITCH_RE = re.compile(r"<!--script-switch-->.*?<!--/script-switch-->", re.S)
# Attributes whose value a reader sees or a screen reader speaks.
_READ_ATTRIBUTES = (
    r"title|alt|placeholder|aria-label|aria-description|aria-roledescription|data-label-[\w-]+"
)
_ATTRIBUTE_RE = re.compile(
    rf"(\s(?:{_READ_ATTRIBUTES})\s*=\s*)(\"[^\"]*\"|'[^']*')",
    re.I,
)
# A button's value is its label; any other input's value is data.
_BUTTON_INPUT_RE = re.compile(r"<input\b[^>]*\btype\s*=\s*[\"']?(?:submit|button|reset)\b", re.I)
_BUTTON_ATTRIBUTE_RE = re.compile(
    rf"(\s(?:{_READ_ATTRIBUTES}|value)\s*=\s*)(\"[^\"]*\"|'[^']*')",
    re.I,
)
_HTML_TAG_RE = re.compile(r"<html\b(?:\"[^\"]*\"|'[^']*'|[^'\">])*>", re.I)
_LANG_RE = re.compile(r"\slang\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)

SEPARATOR = "\ue000"


def _attributes(tag):
    """The pattern of a tag's attributes a reader reads, or None for markup kept as it is."""
    if tag[1] in "!/?" or tag[1:9].lower().startswith(_RAW):
        return None
    if _BUTTON_INPUT_RE.match(tag):
        return _BUTTON_ATTRIBUTE_RE
    return _ATTRIBUTE_RE


def _convert_all(texts, convert):
    if not texts:
        return []
    converted = convert(SEPARATOR.join(texts)).split(SEPARATOR)
    if len(converted) != len(texts):  # never seen; one call per text is then exact
        converted = [convert(text) for text in texts]
    return converted


def convert_html(html, convert, lang):
    """``html`` with its reader's texts passed through ``convert`` and <html lang> set."""
    parts = _SPLIT_RE.split(html)
    # ASCII (most of the markup, whitespace, digits) is the same in either script: skipped.
    changing = [i for i, part in enumerate(parts) if not part.isascii()]
    texts = []
    for i in changing:
        if i % 2 == 0:
            texts.append(parts[i])
        elif pattern := _attributes(parts[i]):
            texts.extend(match.group(2)[1:-1] for match in pattern.finditer(parts[i]))
    converted = iter(_convert_all(texts, convert))

    def attribute(match):
        quoted = match.group(2)
        return f"{match.group(1)}{quoted[0]}{next(converted)}{quoted[-1]}"

    for i in changing:
        if i % 2 == 0:
            parts[i] = next(converted)
        elif pattern := _attributes(parts[i]):
            parts[i] = pattern.sub(attribute, parts[i])
    return set_lang("".join(parts), lang)


def set_lang(html, lang):
    """The first <html> tag's lang attribute set to ``lang``."""
    match = _HTML_TAG_RE.search(html)
    if match is None:
        return html
    tag = match.group()
    if _LANG_RE.search(tag):
        new_tag = _LANG_RE.sub(f' lang="{lang}"', tag, count=1)
    else:
        new_tag = f'{tag[:5]} lang="{lang}"{tag[5:]}'
    return html[: match.start()] + new_tag + html[match.end() :]


def replace_switch(html, replacement):
    """Each script switch (between its markers) replaced by ``replacement(switch_html)``."""
    return _SWITCH_RE.sub(lambda match: replacement(match.group()), html)
