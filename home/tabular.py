"""Reading spreadsheets editors upload: CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX, streamed.

Shared by the merchant and the complaint-disclosure imports. ``read_rows`` yields
``(line_number, {field: raw value})`` one row at a time, so a file of a million rows is never
held in memory. Line numbers are the ones an editor sees in Excel or WPS: the header is on its
line and blank rows still count, so "第7行" in an error points at the seventh row of the sheet.

Headers are matched loosely (Chinese label, English alias, full-width brackets, a ``*`` mark),
and a title line above the header row ("2026年第一批……名单") is skipped.
"""

import codecs
import csv
import io
import os
import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls / .et format
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Enough of the file to tell UTF-8 from GB18030: Chinese text in GB18030 is almost never valid
# UTF-8, and the header row alone is Chinese.
SNIFF_BYTES = 1024 * 1024
HEADER_SEARCH_ROWS = 10
# A summary cell may be long, but not larger than this (csv's own default is 128 KiB).
MAX_CELL_CHARS = 1024 * 1024


class TabularFileError(ValueError):
    """The file as a whole cannot be read; the message is for the editor."""


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    aliases: tuple = ()
    required: bool = False
    example: str = ""


def header_key(text):
    """What is compared when matching a header: no BOM, spaces, ``*`` marks; ASCII brackets."""
    text = text.replace("\ufeff", "").replace("(", "(").replace(")", ")")
    return re.sub(r"[\s*※]+", "", text).lower()


class ColumnSet:
    """The columns of one import format: template order, required ones, header matching.

    ``anchor`` is the column whose presence marks the header row (rows above it are titles).
    """

    def __init__(self, columns, extra=(), anchor=None):
        self.template_columns = list(columns)
        self.by_field = {column.field: column for column in [*columns, *extra]}
        self.required_fields = [column.field for column in columns if column.required]
        self.anchor = anchor or self.required_fields[0]
        self._by_header = {}
        for column in self.by_field.values():
            for name in (column.label, column.field, *column.aliases):
                self._by_header[header_key(name)] = column.field

    def field_for_header(self, text):
        return self._by_header.get(header_key(text))

    def label(self, field):
        return self.by_field[field].label


# --- opening what was uploaded ----------------------------------------------------------------


def source_name(source):
    """The file name an editor would recognise, from a path or an (uploaded) file object."""
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return Path(getattr(source, "name", "") or "").name


@contextmanager
def open_binary(source):
    """A seekable binary file for a path, an uploaded file or any readable binary object.

    Both imports read a file twice (check, then write), so it must be seekable: a stream that is
    not is spooled to a temporary file first, never into memory.
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield handle
        return
    temporary_path = getattr(source, "temporary_file_path", None)
    if temporary_path is not None:  # Django's TemporaryUploadedFile: already on disk
        with open(temporary_path(), "rb") as handle:
            yield handle
        return
    handle = getattr(source, "file", source)  # InMemoryUploadedFile wraps a BytesIO
    if _seekable(handle):
        handle.seek(0)
        yield handle
        return
    with tempfile.TemporaryFile() as spooled:
        shutil.copyfileobj(handle, spooled, 1024 * 1024)
        spooled.seek(0)
        yield spooled


def _seekable(handle):
    try:
        return handle.seekable()
    except (AttributeError, ValueError):
        return False


# --- encodings and raw rows -------------------------------------------------------------------


def detect_encoding(prefix):
    """``utf-8-sig``, ``utf-8`` or ``gb18030`` for a CSV file that starts with ``prefix``."""
    if prefix.startswith(UTF8_BOM):
        return "utf-8-sig"
    if prefix.startswith(UTF16_BOMS):
        raise TabularFileError(_("不支持UTF-16编码的文本,请另存为“CSV UTF-8”或Excel工作簿(.xlsx)"))
    # final=False: the prefix may end in the middle of a multi-byte character.
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(prefix, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TabularFileError(
        _("无法识别文件编码,请另存为UTF-8或GB18030编码的CSV,或Excel工作簿(.xlsx)")
    )


def decode_text(data):
    """Text of a whole CSV file held in memory (small files, such as a list of regions)."""
    encoding = detect_encoding(data[:SNIFF_BYTES])
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _encoding_error(encoding) from error


def _encoding_error(encoding):
    return TabularFileError(
        _(
            "文件前部按%(encoding)s编码识别,但后面有无法按该编码读取的内容,"
            "请整份另存为“CSV UTF-8”后重新导入"
        )
        % {"encoding": "UTF-8" if encoding.startswith("utf") else "GB18030"}
    )


def _csv_rows(handle):
    prefix = handle.read(SNIFF_BYTES)
    handle.seek(0)
    encoding = detect_encoding(prefix)
    first_line = prefix.split(b"\n", 1)[0].decode(encoding, errors="ignore")
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    text = io.TextIOWrapper(handle, encoding=encoding, newline="", errors="strict")
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        yield from csv.reader(text, delimiter=delimiter)
    except UnicodeDecodeError as error:
        raise _encoding_error(encoding) from error
    except csv.Error as error:
        raise TabularFileError(_("CSV文件格式有误:%(error)s") % {"error": error}) from error
    finally:
        # The caller owns the binary file and may read it again: don't let the wrapper close it.
        if not handle.closed:
            text.detach()


def _xlsx_rows(handle):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TabularFileError(_("无法打开Excel文件,请确认文件没有损坏并另存为.xlsx")) from error
    try:
        # read_only mode yields an empty tuple for a blank row, so counting rows stays exact.
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def raw_rows(handle):
    """Every row of the first sheet (XLSX) or of the CSV, as sequences of cell values."""
    handle.seek(0)
    magic = handle.read(4)
    handle.seek(0)
    if magic.startswith(XLSX_MAGIC):
        return _xlsx_rows(handle)
    if magic.startswith(OLE_MAGIC):
        raise TabularFileError(_("不支持旧版Excel格式(.xls),请另存为Excel工作簿(.xlsx)或CSV"))
    return _csv_rows(handle)


# --- rows as fields ---------------------------------------------------------------------------


def is_blank(cell):
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header_map(cells, columns):
    """Column index → field name, or a TabularFileError naming what is wrong."""
    mapping, seen = {}, {}
    for index, cell in enumerate(cells):
        if is_blank(cell):
            continue
        field = columns.field_for_header(str(cell))
        if field is None:
            continue  # extra columns (序号, 备注 ...) are common and harmless
        if field in seen:
            raise TabularFileError(
                _("表头中“%(label)s”出现了两次(第%(a)d列和第%(b)d列)")
                % {"label": columns.label(field), "a": seen[field] + 1, "b": index + 1}
            )
        mapping[index], seen[field] = field, index
    return mapping


def read_rows(handle, columns):
    """Yield ``(line_number, {field: value})`` for every non-blank data row of the file."""
    rows = iter(raw_rows(handle))
    header, header_line, first_nonblank = None, 0, None
    for line, cells in enumerate(rows, start=1):
        if all(is_blank(cell) for cell in cells):
            if line >= HEADER_SEARCH_ROWS:
                break
            continue
        mapping = _header_map(cells, columns)
        first_nonblank = first_nonblank or mapping
        if columns.anchor in mapping.values():
            header, header_line = mapping, line
            break
        if line >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        header = first_nonblank or {}
    missing = [columns.label(f) for f in columns.required_fields if f not in header.values()]
    if missing:
        raise TabularFileError(
            _("表头缺少必需的列:%(columns)s。请使用导入模板的表头(可下载模板)")
            % {"columns": "、".join(missing)}
        )
    present = tuple(header.items())
    empty = dict.fromkeys(header.values())
    for line, cells in enumerate(rows, start=header_line + 1):
        if all(is_blank(cell) for cell in cells):
            continue
        row = dict(empty)
        width = len(cells)
        for index, field in present:
            if index < width:
                row[field] = cells[index]
        yield line, row


def sample_csv(columns):
    """An import template: the headers and one example row, as UTF-8 with BOM.

    The BOM is what makes Excel on a Chinese Windows open UTF-8 without garbling the headers.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.label for column in columns])
    writer.writerow([column.example for column in columns])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
