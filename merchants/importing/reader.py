"""Reading an uploaded merchant list: CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX.

Yields ``(line_number, row)`` where ``row`` maps field names (``credit_code`` ...) to raw cell
values. Line numbers are the ones an editor sees in Excel or WPS: the header is on its line,
blank rows still count, so "第7行" in an error points at the seventh row of the sheet.
"""

import csv
import io
import zipfile

from django.utils.translation import gettext as _

from .columns import COLUMNS, REQUIRED_FIELDS, field_for_header

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls / .et format
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Offices often put a title line ("2026年第一批放心消费承诺单位名单") above the header row.
HEADER_SEARCH_ROWS = 10


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the editor."""


def decode_text(data):
    """Text of a CSV file in UTF-8 (with or without BOM) or GB18030 (Excel's default in China)."""
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8", errors="strict")
    if data.startswith(UTF16_BOMS):
        raise ImportFileError(_("不支持UTF-16编码的文本,请另存为“CSV UTF-8”或Excel工作簿(.xlsx)"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("无法识别文件编码,请另存为UTF-8或GB18030编码的CSV,或Excel工作簿(.xlsx)")
        ) from error


def _csv_rows(data):
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ImportFileError(_("CSV文件格式有误:%(error)s") % {"error": error}) from error


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("无法打开Excel文件,请确认文件没有损坏并另存为.xlsx")) from error
    try:
        # read_only mode yields an empty tuple for a blank row, so counting rows stays exact.
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def raw_rows(data):
    """Every row of the first sheet (XLSX) or of the CSV, as lists of cell values."""
    if data.startswith(XLSX_MAGIC):
        return _xlsx_rows(data)
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(_("不支持旧版Excel格式(.xls),请另存为Excel工作簿(.xlsx)或CSV"))
    return _csv_rows(data)


def _is_blank(cell):
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header_map(cells):
    """Column index → field name, or an ImportFileError naming what is wrong."""
    mapping, seen = {}, {}
    for index, cell in enumerate(cells):
        if _is_blank(cell):
            continue
        field = field_for_header(str(cell))
        if field is None:
            continue  # extra columns (序号, 备注 ...) are common and harmless
        if field in seen:
            raise ImportFileError(
                _("表头中“%(label)s”出现了两次(第%(a)d列和第%(b)d列)")
                % {"label": COLUMNS[field].label, "a": seen[field] + 1, "b": index + 1}
            )
        mapping[index], seen[field] = field, index
    return mapping


def read_rows(data):
    """Yield ``(line_number, {field: value})`` for every non-blank data row."""
    rows = iter(raw_rows(data))
    header, header_line, first_nonblank = None, 0, None
    for line, cells in enumerate(rows, start=1):
        if all(_is_blank(cell) for cell in cells):
            if line >= HEADER_SEARCH_ROWS:
                break
            continue
        mapping = _header_map(cells)
        first_nonblank = first_nonblank or mapping
        if "credit_code" in mapping.values():
            header, header_line = mapping, line
            break
        if line >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        header = first_nonblank or {}
    missing = [COLUMNS[f].label for f in REQUIRED_FIELDS if f not in header.values()]
    if missing:
        raise ImportFileError(
            _("表头缺少必需的列:%(columns)s。请使用导入模板的表头(可下载模板)")
            % {"columns": "、".join(missing)}
        )
    present = set(header.values())
    for line, cells in enumerate(rows, start=header_line + 1):
        if all(_is_blank(cell) for cell in cells):
            continue
        row = {field: None for field in present}
        for index, field in header.items():
            if index < len(cells):
                row[field] = cells[index]
        yield line, row
