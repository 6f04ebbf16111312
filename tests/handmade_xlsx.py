"""XLSX files written part by part, for the import-limit tests and ``bench/import_bombs.py``.

openpyxl cannot write a hostile file (a 1 GiB cell, millions of rows in a few hundred kilobytes,
a lying ``<dimension>``), so these helpers write the sheet XML and the shared strings themselves,
streaming every part through the compressor: a 1 GiB cell is never held in memory.
"""

import zipfile
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CHUNK = 1024 * 1024

OFFICE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{OFFICE_TYPE}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE_TYPE}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{OFFICE_TYPE}.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_REL_NS}">
<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_REL_NS}">
<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""


def column_letter(index):
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def row_xml(number, values, strings):
    """One ``<row>`` of shared-string cells; ``strings`` maps text to its shared index."""
    cells = []
    for column, value in enumerate(values, start=1):
        if value is None or value == "":
            continue
        index = strings.setdefault(str(value), len(strings))
        cells.append(f'<c r="{column_letter(column)}{number}" t="s"><v>{index}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_xlsx(path, rows=(), *, extra_rows=None, dimension=None, extra_strings=None):
    """Write an XLSX at ``path``: ``rows`` (lists of text) as shared-string cells from row 1.

    ``extra_rows`` is an iterable of raw ``<row>`` XML pieces appended after them (streamed, so
    millions of rows cost no memory); ``dimension`` is written as ``<dimension ref=...>`` when
    given; ``extra_strings`` is an iterable of raw XML chunks appended inside the shared-string
    table after the strings the rows use (a 1 GiB string, streamed).
    """
    strings = {}
    head = [row_xml(number, values, strings) for number, values in enumerate(rows, start=1)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN_NS}">'.encode()
            )
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            sheet.write("".join(head).encode())
            _write_streamed(sheet, extra_rows)
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
            table.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN_NS}">'.encode())
            table.write(
                "".join(f"<si><t>{escape(text)}</t></si>" for text in strings).encode("utf-8")
            )
            _write_streamed(table, extra_strings)
            table.write(b"</sst>")
    return path


def _write_streamed(member, pieces):
    if pieces is None:
        return
    buffer = []
    size = 0
    for piece in pieces:
        data = piece.encode("utf-8") if isinstance(piece, str) else piece
        buffer.append(data)
        size += len(data)
        if size >= CHUNK:
            member.write(b"".join(buffer))
            buffer, size = [], 0
    member.write(b"".join(buffer))


def huge_string(characters, text="a"):
    """A shared string of ``characters`` characters, as XML chunks of about 1 MiB."""
    yield "<si><t>"
    block = text * (CHUNK // len(text.encode("utf-8")))
    left = characters
    while left > 0:
        piece = block[:left]
        yield piece
        left -= len(piece)
    yield "</t></si>"


def bare_rows(count, cell='<c t="s"><v>0</v></c>'):
    """``count`` rows without row numbers (allowed by the format), each with ``cell``."""
    row = f"<row>{cell}</row>"
    block = row * 10_000
    for _ in range(count // 10_000):
        yield block
    yield row * (count % 10_000)
