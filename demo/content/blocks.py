"""Shorthands for writing StreamField bodies as data: each returns a ``(block_type, value)`` pair.

Images and documents are named by their key in ``images.IMAGES`` / ``documents.DOCUMENTS``; the
builder swaps the key for the database id when it writes the page.
"""


def para(*html):
    """A rich-text paragraph block; several HTML fragments are joined."""
    return ("paragraph", "".join(html))


def image(key, caption="", alt_text=""):
    return ("image", {"image": key, "alt_text": alt_text, "caption": caption})


def table(caption, rows, source="", first_col_is_header=False):
    """A captioned table; the first row is the header row."""
    return (
        "table",
        {
            "caption": caption,
            "table": {
                "data": [[str(cell) for cell in row] for row in rows],
                "first_row_is_table_header": True,
                "first_col_is_header": first_col_is_header,
                "table_header_choice": "both" if first_col_is_header else "row",
                "table_caption": "",
            },
            "source": source,
        },
    )


def figures(heading, *items):
    """A key-figures row; each item is ``(value, unit, label)``."""
    return (
        "key_figures",
        {
            "heading": heading,
            "figures": [
                {"value": str(value), "unit": unit, "label": label} for value, unit, label in items
            ],
        },
    )


def document(key, title="", description=""):
    return ("document", {"document": key, "title": title, "description": description})


def faq(heading, *pairs):
    """Questions and answers; each pair is ``(question, answer_html)``."""
    return (
        "faq",
        {
            "heading": heading,
            "items": [{"question": question, "answer": answer} for question, answer in pairs],
        },
    )
