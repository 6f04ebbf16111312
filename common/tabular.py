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
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from . import xlsx_check

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls, and WPS's .et
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Files that are surely not a spreadsheet: PDF, PNG, JPEG, GIF, RAR, 7-Zip, gzip.
OTHER_FORMATS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
# Enough of the file to tell UTF-8 from GB18030: Chinese text in GB18030 is almost never valid
# UTF-8, and the header row alone is Chinese.
SNIFF_BYTES = 1024 * 1024
# Big5 is told from GB18030 on this much text (see _looks_like_big5).
BIG5_SAMPLE_BYTES = 64 * 1024
HEADER_SEARCH_ROWS = 10
# A row may hold this many cells of the largest size; a longer line is refused before the
# csv module builds it (it holds a whole line in memory).
MAX_CELLS_PER_ROW = xlsx_check.MAX_CELLS_PER_ROW


@dataclass(frozen=True)
class Limits:
    """How large an import file may be (settings ``IMPORT_MAX_*``), checked before it is read."""

    file_bytes: int
    cell_chars: int
    rows: int
    xlsx_strings_bytes: int

    @classmethod
    def from_settings(cls):
        return cls(
            file_bytes=settings.IMPORT_MAX_FILE_BYTES,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            rows=settings.IMPORT_MAX_ROWS,
            xlsx_strings_bytes=settings.IMPORT_MAX_XLSX_STRINGS_BYTES,
        )

    @property
    def line_chars(self):
        return self.cell_chars * MAX_CELLS_PER_ROW


size_text = xlsx_check.size_text


def too_large_error(limits):
    return TabularFileError(
        _("文件超过%(size)s的上限，请拆分后分批导入") % {"size": size_text(limits.file_bytes)}
    )


def too_many_rows_error(limits):
    return TabularFileError(
        _("数据行超过%(limit)d行的上限，请拆分后分批导入") % {"limit": limits.rows}
    )


def cell_too_long_error(line, column, limits):
    """``column`` counts from 0; the message names it as Excel and WPS do (A, B … AA)."""
    from openpyxl.utils import get_column_letter

    return TabularFileError(
        _("第%(line)d行%(column)s列超过%(limit)d个字符的上限，请检查是否误粘贴了大段内容")
        % {"line": line, "column": get_column_letter(column + 1), "limit": limits.cell_chars}
    )


def check_file_size(path, limits=None):
    """Refuse a file on disk that is over the size limit, before anything reads it."""
    limits = limits or Limits.from_settings()
    if os.path.getsize(path) > limits.file_bytes:
        raise too_large_error(limits)


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
    text = text.replace("\ufeff", "").replace("（", "(").replace("）", ")")
    return re.sub(r"[\s*※]+", "", text).lower()


class ColumnSet:
    """The columns of one import format: template order, required ones, header matching.

    ``anchor`` is the column whose presence marks the header row (rows above it are titles).
    """

    def __init__(self, columns, extra=(), anchor=None):
        self.template_columns = list(columns)  # in the order of the downloadable template
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

    The reader looks at a file's size and first bytes before it reads the rows, and an XLSX
    file is a zip read from its end, so it must be seekable: a stream that is not is spooled to
    a temporary file first, never into memory.
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
    """``utf-8-sig``, ``utf-16``, ``utf-8`` or ``gb18030`` for a CSV file starting ``prefix``.

    Refuses, each with its own message, text that is none of these: UTF-16 without its byte
    order mark, Big5 (traditional Chinese, which GB18030 would read as other characters without
    complaint), and what is not text at all.
    """
    if prefix.startswith(UTF8_BOM):
        return "utf-8-sig"
    if prefix.startswith(UTF16_BOMS):
        return "utf-16"  # Excel's and WPS's "Unicode 文本": tab-separated UTF-16 with a BOM
    if b"\x00" in prefix or prefix.startswith(OTHER_FORMATS):
        raise TabularFileError(_binary_message(prefix))
    # final=False: the prefix may end in the middle of a multi-byte character.
    if _decodes(prefix, "utf-8"):
        return "utf-8"
    if _decodes(prefix, "gb18030"):
        if _looks_like_big5(prefix):
            raise TabularFileError(_big5_message())
        return "gb18030"
    if _decodes(prefix[:BIG5_SAMPLE_BYTES], "big5"):
        raise TabularFileError(_big5_message())
    raise TabularFileError(
        _("无法识别文件编码，请另存为UTF-8或GB18030编码的CSV，或Excel工作簿（.xlsx）")
    )


def _decodes(data, encoding):
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _binary_message(prefix):
    if _looks_like_utf16(prefix[:4096]):
        return _("文件是没有字节顺序标记（BOM）的UTF-16编码文本，请另存为UTF-8或GB18030编码的CSV")
    return _("文件不是CSV文本，也不是Excel工作簿（.xlsx），请检查是否选错了文件")


def _looks_like_utf16(sample):
    """Whether bytes with NULs in them read as Chinese or ASCII text in UTF-16 (BOM lost)."""
    sample = sample[: len(sample) // 2 * 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        plain = sum(1 for character in text if _is_plain_text(character))
        if text and plain >= 0.9 * len(text):
            return True
    return False


def _is_plain_text(character):
    return (
        character in "\t\r\n"
        or " " <= character <= "~"
        or "\u4e00" <= character <= "\u9fff"  # CJK ideographs
        or "\u3000" <= character <= "\u303f"  # CJK punctuation
        or "\uff00" <= character <= "\uffef"  # full-width forms
    )


def _big5_message():
    return _(
        "文件是繁体中文Big5编码，不支持。请另存为UTF-8或GB18030编码的CSV，或Excel工作簿（.xlsx）"
    )


@lru_cache(maxsize=8192)
def _in_gb2312(character):
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _looks_like_big5(prefix):
    """Whether text that decodes as GB18030 is really Big5.

    Big5 text decodes as GB18030 without an error, but about four characters in ten fall outside
    GB2312 (the common simplified characters that all real text from the mainland is made of):
    Big5's second bytes 0x40-0x7E are rare characters in GBK. Rare characters are far fewer in
    real GB18030 text, and GBK's own traditional characters are not valid Big5.
    """
    sample = prefix[:BIG5_SAMPLE_BYTES]
    text = codecs.getincrementaldecoder("gb18030")(errors="ignore").decode(sample, final=False)
    wide = [character for character in text if ord(character) > 0x7F]
    if len(wide) < 4:
        return False
    rare = sum(1 for character in wide if not _in_gb2312(character))
    return rare * 5 > len(wide) and _decodes(sample, "big5")


def _encoding_error(encoding):
    names = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "GB18030"}
    return TabularFileError(
        _(
            "文件前部按%(encoding)s编码识别，但后面有无法按该编码读取的内容，"
            "请整份另存为“CSV UTF-8”后重新导入"
        )
        % {"encoding": names[encoding]}
    )


def _csv_rows(handle, prefix, limits):
    encoding = detect_encoding(prefix)
    handle.seek(0)
    head = codecs.getincrementaldecoder(encoding)(errors="ignore").decode(prefix, final=False)
    first_line = head.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    text = io.TextIOWrapper(handle, encoding=encoding, newline="", errors="strict")
    line = 0
    # The csv module refuses a longer field itself, at no cost per row; the limit is global to
    # the process, so it is put back afterwards.
    previous_limit = csv.field_size_limit(limits.cell_chars)
    try:
        for cells in csv.reader(_bounded_lines(text, limits), delimiter=delimiter):
            line += 1  # the record's number, as Excel numbers rows (a cell may hold line breaks)
            yield cells
    except _LineTooLong as error:
        raise _line_too_long_error(line + 1, limits) from error
    except UnicodeDecodeError as error:
        raise _encoding_error(encoding) from error
    except csv.Error as error:
        if "field limit" in str(error):
            raise _line_too_long_error(line + 1, limits) from error
        raise TabularFileError(_("CSV文件格式有误：%(error)s") % {"error": error}) from error
    finally:
        csv.field_size_limit(previous_limit)
        # The caller owns the binary file and may read it again: don't let the wrapper close it.
        if not handle.closed:
            text.detach()


class _LineTooLong(Exception):
    pass


def _bounded_lines(text, limits):
    """The text's lines, refusing one longer than a row may be before it is built whole."""
    most = limits.line_chars
    while line := text.readline(most):
        if len(line) >= most and not line.endswith(("\n", "\r")):
            raise _LineTooLong
        yield line


def _line_too_long_error(line, limits):
    return TabularFileError(
        _("第%(line)d行有单元格超过%(limit)d个字符的上限，请检查是否误粘贴了大段内容")
        % {"line": line, "limit": limits.cell_chars}
    )


def _xlsx_rows(handle, limits):
    from openpyxl import load_workbook

    try:
        xlsx_check.check_package(
            handle,
            xlsx_check.PackageLimits(
                cell_chars=limits.cell_chars,
                rows=limits.rows,
                strings_bytes=limits.xlsx_strings_bytes,
            ),
            too_many_rows=lambda: str(too_many_rows_error(limits)),
        )
    except xlsx_check.PackageRefused as error:
        raise TabularFileError(str(error)) from error
    handle.seek(0)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (KeyError, OSError, ValueError, SyntaxError) as error:
        raise TabularFileError(_("无法打开Excel文件，请确认文件没有损坏并另存为.xlsx")) from error
    try:
        sheet = workbook.worksheets[0]
        # The <dimension> a file states is not always true, and openpyxl would stop reading at
        # it: read every row there is (the package check has counted them).
        sheet.reset_dimensions()
        most_lines = limits.rows + HEADER_SEARCH_ROWS
        # read_only mode yields an empty tuple for a blank row, so counting rows stays exact.
        for line, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            if line > most_lines:  # rows the sheet skips, which openpyxl fills in
                raise too_many_rows_error(limits)
            for column, cell in enumerate(cells):
                if isinstance(cell, str) and len(cell) > limits.cell_chars:
                    raise cell_too_long_error(line, column, limits)
            yield cells
    finally:
        workbook.close()


def raw_rows(handle, limits=None):
    """Every row of the first sheet (XLSX) or of the CSV, as sequences of cell values.

    The file is refused, with a message naming the limit, when it is larger, longer or has a
    larger cell than ``limits`` (default: the ``IMPORT_MAX_*`` settings) allow; the checks come
    before anything large is read into memory.
    """
    limits = limits or Limits.from_settings()
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    if size > limits.file_bytes:
        raise too_large_error(limits)
    prefix = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if _is_empty(prefix, size):
        raise TabularFileError(_("文件是空的，请检查是否选错了文件"))
    if prefix.startswith(XLSX_MAGIC):
        return _xlsx_rows(handle, limits)
    if prefix.startswith(OLE_MAGIC):
        raise TabularFileError(
            _("不支持旧版Excel格式（.xls）或WPS表格格式（.et），请另存为Excel工作簿（.xlsx）或CSV")
        )
    return _csv_rows(handle, prefix, limits)


def _is_empty(prefix, size):
    if size > len(prefix):
        return False
    for bom in (UTF8_BOM, *UTF16_BOMS):
        prefix = prefix.removeprefix(bom)
    return not prefix.strip(b" \t\r\n\x00")


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
                _("表头中“%(label)s”出现了两次（第%(a)d列和第%(b)d列）")
                % {"label": columns.label(field), "a": seen[field] + 1, "b": index + 1}
            )
        mapping[index], seen[field] = field, index
    return mapping


def read_rows(handle, columns, limits=None):
    """Yield ``(line_number, {field: value})`` for every non-blank data row of the file."""
    limits = limits or Limits.from_settings()
    rows = iter(raw_rows(handle, limits))
    header, header_line, first_nonblank, any_content = None, 0, None, False
    for line, cells in enumerate(rows, start=1):
        if all(is_blank(cell) for cell in cells):
            if line >= HEADER_SEARCH_ROWS:
                break
            continue
        any_content = True
        mapping = _header_map(cells, columns)
        first_nonblank = first_nonblank or mapping
        if columns.anchor in mapping.values():
            header, header_line = mapping, line
            break
        if line >= HEADER_SEARCH_ROWS:
            break
    if not any_content and next(rows, None) is None:
        # Not "表头缺少必需的列": nothing is there at all, so the file itself is the mistake.
        raise TabularFileError(_("文件是空的，请检查是否选错了文件"))
    if header is None:
        header = first_nonblank or {}
    missing = [columns.label(f) for f in columns.required_fields if f not in header.values()]
    if missing:
        raise TabularFileError(
            _("表头缺少必需的列：%(columns)s。请使用导入模板的表头（可下载模板）")
            % {"columns": "、".join(missing)}
        )
    present = tuple(header.items())
    empty = dict.fromkeys(header.values())
    last_line = header_line + limits.rows
    for line, cells in enumerate(rows, start=header_line + 1):
        if line > last_line:
            raise too_many_rows_error(limits)
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
