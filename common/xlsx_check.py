"""Checking an XLSX package before openpyxl opens it, so that a hostile file is refused in seconds.

openpyxl's read-only mode streams the sheet, yet it loads the shared-string table and the other
small parts whole, builds each row's XML whole before handing it over, and fills the rows a
sheet skips one by one. So before it opens anything, ``check_package`` reads the zip directory
(how many parts, how large each unpacks to: zipfile never unpacks past the size the directory
states) and streams each part that openpyxl would read through once, 1 MiB at a time, counting
rows and measuring the longest row and the longest shared string in bytes. Nothing larger than
a chunk and one row is ever held, whatever the file claims.
"""

import re
import struct
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

CHUNK_BYTES = 1024 * 1024
# A real workbook has a few dozen parts; a zip directory of a million entries is itself a bomb.
MAX_PARTS = 10_000
# Parts openpyxl reads whole (workbook, styles, theme, relationships ...): a few kilobytes, at
# most a few megabytes in a workbook with thousands of styles.
MAX_SMALL_PART_BYTES = 16 * 1024 * 1024
# One cell of N characters takes at most 6N bytes of XML (``&quot;`` for ``"``), plus its tags
# and any rich-text formatting.
XML_BYTES_PER_CHAR = 6
CELL_MARKUP_BYTES = 64 * 1024
# A row may hold this many cells of the largest size before it is refused as too long.
MAX_CELLS_PER_ROW = 64
# Deflate packs real sheets about 5 to 20 to 1; past this ratio, and once this much has been
# unpacked without reaching an end, the part is a zip bomb.
BOMB_RATIO = 100
BOMB_SCANNED_BYTES = 256 * 1024 * 1024
# Rows above the header a sheet may hold: a title, notes (tabular.HEADER_SEARCH_ROWS).
ROW_SLACK = 10

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?(?:worksheet|sst)[\s>/]")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref=\"[A-Z]*\d*:?[A-Z]*(\d+)\"")
_ROW_NUMBER = re.compile(rb"\sr=\"(\d+)\"")
_EOCD = b"PK\x05\x06"


class PackageRefused(ValueError):
    """The package breaks a limit; the message is for the editor."""


@dataclass(frozen=True)
class PackageLimits:
    cell_chars: int
    rows: int
    strings_bytes: int

    @property
    def cell_bytes(self):
        return self.cell_chars * XML_BYTES_PER_CHAR + CELL_MARKUP_BYTES

    @property
    def row_bytes(self):
        return self.cell_bytes * MAX_CELLS_PER_ROW


def check_package(handle, limits, *, too_many_rows):
    """Raise ``PackageRefused`` when the XLSX in ``handle`` breaks a limit.

    ``too_many_rows()`` gives the message the import's own row count also uses, so an editor
    reads one wording for one limit.
    """
    _check_directory_size(handle)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise PackageRefused(_("无法打开Excel文件，请确认文件没有损坏并另存为.xlsx")) from error
    names = {info.filename.lower() for info in archive.infolist()}
    if "xl/workbook.xml" not in names:
        raise PackageRefused(_not_a_workbook(names))
    for info in archive.infolist():
        name = info.filename.lower()
        if _is_worksheet(name):
            _scan_sheet(archive, info, limits, too_many_rows)
        elif name.endswith("sharedstrings.xml"):
            if info.file_size > limits.strings_bytes:
                raise PackageRefused(
                    _(
                        "文件中的文字解压后超过%(size)s的上限（Excel文件的文字整份读入内存），"
                        "请另存为CSV（UTF-8）后导入，或拆分后分批导入"
                    )
                    % {"size": size_text(limits.strings_bytes)}
                )
            _scan_strings(archive, info, limits)
        elif name.endswith((".xml", ".rels", ".vml")) and info.file_size > MAX_SMALL_PART_BYTES:
            raise PackageRefused(
                _("Excel文件结构异常：%(part)s解压后超过%(size)s，不像是正常的工作簿")
                % {"part": info.filename, "size": size_text(MAX_SMALL_PART_BYTES)}
            )


def size_text(size):
    """``200 MB`` for a limit in bytes, as an editor reads it."""
    megabytes = 1024 * 1024
    if size >= megabytes and size % megabytes == 0:
        return f"{size // megabytes} MB"
    if size >= megabytes:
        return f"{size / megabytes:.1f} MB"
    return _("%(size)d字节") % {"size": size}


def _check_directory_size(handle):
    """Refuse a zip whose directory lists more parts than any workbook has, before reading it."""
    handle.seek(0, 2)
    size = handle.tell()
    tail_size = min(size, 22 + 65535)  # the end record and the longest possible comment
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    handle.seek(0)
    at = tail.rfind(_EOCD)
    if at < 0 or at + 22 > len(tail):
        raise PackageRefused(_("无法打开Excel文件，请确认文件没有损坏并另存为.xlsx"))
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if entries > MAX_PARTS:
        raise PackageRefused(_("Excel文件结构异常：包含的部件过多，不像是正常的工作簿"))


def _not_a_workbook(names):
    if "xl/workbook.bin" in names:
        return _("不支持Excel二进制工作簿（.xlsb），请另存为Excel工作簿（.xlsx）或CSV")
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        return _("这是Word或PowerPoint文件，不是Excel工作簿，请上传.xlsx或CSV文件")
    return _("这是一个压缩包，不是Excel工作簿（.xlsx），请解压后上传其中的.xlsx或CSV文件")


def _is_worksheet(name):
    return "/worksheets/" in name and name.endswith(".xml") and "/_rels/" not in name


def _chunks(archive, info):
    """The part's bytes, 1 MiB at a time, and whether it is packed like a zip bomb."""
    suspicious = info.file_size > info.compress_size * BOMB_RATIO
    scanned = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK_BYTES):
            scanned += len(chunk)
            if suspicious and scanned > BOMB_SCANNED_BYTES:
                raise PackageRefused(
                    _(
                        "Excel文件的压缩比异常（解压后是原来的%(ratio)d倍以上），疑似恶意文件，未导入"
                    )
                    % {"ratio": BOMB_RATIO}
                )
            yield chunk


def _prefix(first_chunk):
    """The namespace prefix of the part's elements: ``b""``, or e.g. ``b"x:"`` (.NET writers)."""
    match = _ROOT.search(first_chunk[:4096])
    return match.group(1) if match and match.group(1) else b""


def _scan_sheet(archive, info, limits, too_many_rows):
    """Count the rows and measure each one, refusing as soon as a bound is passed."""
    most_rows = limits.rows + ROW_SLACK
    rows = last_number = 0
    splitter = None
    tail = b""
    for chunk in _chunks(archive, info):
        if splitter is None:
            prefix = _prefix(chunk)
            splitter, end_of_rows = b"<" + prefix + b"row", b"</" + prefix + b"sheetData>"
            dimension = _DIMENSION.search(chunk[:4096])
            if dimension and int(dimension.group(1)) > most_rows:
                raise PackageRefused(too_many_rows())
        # Each piece but the last is whole: the text from one row's start to the next one's.
        pieces = (tail + chunk).split(splitter)
        tail = pieces.pop()
        finished = end_of_rows in tail
        if finished:  # what follows the rows (merged cells, links ...) is not a row
            tail = tail[: tail.index(end_of_rows)]
        rows += len(pieces)
        last_number = max(last_number, _row_number(tail))
        if max(rows, last_number) > most_rows:
            raise PackageRefused(too_many_rows())
        if max([len(tail), *map(len, pieces)]) > limits.row_bytes:
            raise PackageRefused(_row_too_long(max(rows, last_number, 1), limits))
        if finished:
            return


def _row_number(row_xml):
    """The ``r`` attribute of the row whose XML (after ``<row``) starts ``row_xml``; 0 if none."""
    head = row_xml[:256]
    head = head[: head.find(b">")] if b">" in head else head
    match = _ROW_NUMBER.search(head)
    return int(match.group(1)) if match else 0


def _row_too_long(line, limits):
    return _(
        "第%(line)d行的内容过长：每行不超过%(cells)d个单元格、每个单元格不超过%(chars)d个字符"
    ) % {
        "line": line,
        "cells": MAX_CELLS_PER_ROW,
        "chars": limits.cell_chars,
    }


def _scan_strings(archive, info, limits):
    """Measure every shared string (a cell's text) in bytes before openpyxl loads them all."""
    splitter = tail = None
    for chunk in _chunks(archive, info):
        if splitter is None:
            splitter, tail = b"<" + _prefix(chunk) + b"si", b""
        pieces = (tail + chunk).split(splitter)
        tail = pieces.pop()
        longest = max(map(len, pieces), default=0)
        if max(longest, len(tail)) > limits.cell_bytes:
            raise PackageRefused(
                _("文件中有单元格超过%(limit)d个字符的上限，请检查是否误粘贴了大段内容")
                % {"limit": limits.cell_chars}
            )
