"""The files attached to the reports, generated locally and registered as Wagtail documents.

- an XLSX workbook (openpyxl) with the 12315 figures for January to June 2026;
- a small PDF summary of the 2025 annual report, written by hand: it uses the standard Chinese
  font STSong-Light that every PDF reader provides, so no font file is needed or embedded.

Both are built from the same data as the report pages, so the page and the download agree.
Documents are found again by title; ``update=True`` rewrites the file of an existing one.
"""

import html
import io
import re

from django.core.files.base import ContentFile

from .content import REPORTS
from .content.figures import (
    CATEGORIES_2026H1,
    CITIES_2026H1,
    MONTHS_2026H1,
    PROBLEMS_2026H1,
    month_total,
    split_by_share,
    totals_2026h1,
)

BUREAU = "湖南省市场监督管理局"


# --- XLSX -------------------------------------------------------------------------------------


def build_h1_2026_xlsx():
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="0B4F9C")
    total_font = Font(bold=True)
    total_fill = PatternFill("solid", fgColor="F7F2E9")
    thin = Side(style="thin", color="B8C4D6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    totals = totals_2026h1()

    def write_sheet(sheet, title, header, rows, widths, formats, total_row=None, note=""):
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([note or "数据来源：全国12315平台湖南数据（演示数据）"])
        sheet["A2"].font = Font(color="666666", size=9)
        sheet.append(header)
        for cell in sheet[3]:
            cell.font, cell.fill, cell.border = header_font, header_fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in rows + ([total_row] if total_row else []):
            sheet.append(row)
        for row_cells in sheet.iter_rows(min_row=4, max_row=sheet.max_row):
            for cell, number_format in zip(row_cells, formats, strict=False):
                cell.border = border
                if number_format:
                    cell.number_format = number_format
            if total_row and row_cells[0].row == sheet.max_row:
                for cell in row_cells:
                    cell.font, cell.fill = total_font, total_fill
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        sheet.freeze_panes = "A4"

    workbook = Workbook()
    workbook.properties.title = "2026年上半年湖南省12315投诉举报数据表"
    workbook.properties.creator = BUREAU

    monthly = workbook.active
    monthly.title = "月度受理情况"
    write_sheet(
        monthly,
        "2026年上半年全省12315受理情况（按月份）",
        ["月份", "投诉量", "举报量", "咨询量", "合计", "挽回经济损失（万元）"],
        [
            [month, complaints, reports, consultations, month_total(row), float(recovered)]
            for row in MONTHS_2026H1
            for month, complaints, reports, consultations, recovered in [row]
        ],
        [10, 12, 12, 12, 12, 20],
        [None, "#,##0", "#,##0", "#,##0", "#,##0", "#,##0.00"],
        total_row=[
            "合计",
            totals["complaints"],
            totals["reports"],
            totals["consultations"],
            totals["all"],
            totals["recovered"],
        ],
    )

    categories = workbook.create_sheet("投诉商品服务类别")
    write_sheet(
        categories,
        "2026年上半年投诉量前十的商品和服务类别",
        ["排名", "商品或服务类别", "大类", "投诉量", "占投诉总量"],
        [
            [rank, name, group, count, count / totals["complaints"]]
            for rank, (name, group, count) in enumerate(CATEGORIES_2026H1, start=1)
        ],
        [8, 30, 8, 12, 14],
        [None, None, None, "#,##0", "0.00%"],
    )

    problems = workbook.create_sheet("投诉问题类型")
    problem_counts = split_by_share(totals["complaints"], PROBLEMS_2026H1)
    write_sheet(
        problems,
        "2026年上半年投诉问题类型分布",
        ["问题类型", "投诉量", "占比"],
        [[name, count, count / totals["complaints"]] for name, count in problem_counts],
        [14, 12, 10],
        [None, "#,##0", "0.0%"],
        total_row=["合计", totals["complaints"], 1],
    )

    cities = workbook.create_sheet("市州分布")
    city_counts = split_by_share(totals["complaints"], CITIES_2026H1)
    write_sheet(
        cities,
        "2026年上半年各市州投诉量",
        ["市州", "投诉量", "占全省比重"],
        [[name, count, count / totals["complaints"]] for name, count in city_counts],
        [24, 12, 12],
        [None, "#,##0", "0.0%"],
        total_row=["全省", totals["complaints"], 1],
    )

    notes = workbook.create_sheet("说明")
    for line in [
        "说明",
        "1. 本表为《2026年上半年湖南省12315投诉举报数据分析报告》的数据附件。",
        "2. 受理量包括通过12315热线、全国12315平台、“一企一码”扫码投诉等渠道受理的投诉、举报和咨询"
        "。",
        "3. 商品和服务类别、问题类型按全国12315平台分类统计。",
        "4. 本表不含任何投诉人个人信息。",
        "5. 本站当前为演示环境，表中数据为演示数据。",
        f"编制单位：{BUREAU}",
    ]:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=13)
    notes.column_dimensions["A"].width = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
BLUE_RGB = "0.043 0.310 0.612"
RED_RGB = "0.784 0.063 0.180"
NO_LINE_START = set(",。、;:?!)》」』”’%")


def _em(char):
    return 0.5 if ord(char) < 128 else 1.0


def _wrap(text, size, width=PAGE_WIDTH - 2 * MARGIN):
    """Break Chinese text into lines that fit, keeping closing punctuation off a line's start."""
    lines, line, used = [], "", 0.0
    for char in text:
        advance = _em(char) * size
        if line and used + advance > width and char not in NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += advance
    if line:
        lines.append(line)
    return lines


# Characters whose mapping in the UniGB-UCS2-H CMap differs between readers: use safe forms.
_PDF_SAFE = str.maketrans({"\u00b7": ".", "\u2014": "-", "\u2013": "-", "\u00a0": " "})


def _hex(text):
    return "<" + text.translate(_PDF_SAFE).encode("utf-16-be").hex().upper() + ">"


def _info(text):
    """A document-information string: UTF-16BE with its byte-order mark."""
    return ("<FEFF" + text.encode("utf-16-be").hex().upper() + ">").encode("ascii")


class _PdfPages:
    """Lays out headings, paragraphs and tables top to bottom over as many pages as needed."""

    def __init__(self, title):
        self.pages = []
        self.title = title
        self._new_page()

    def _new_page(self):
        self.ops = []
        self.pages.append(self.ops)
        self.y = PAGE_HEIGHT - MARGIN
        # A blue band with a red rule at the top of every page.
        self.ops.append(f"{BLUE_RGB} rg 0 {PAGE_HEIGHT - 28} {PAGE_WIDTH} 28 re f")
        self.ops.append(f"{RED_RGB} rg 0 {PAGE_HEIGHT - 32} {PAGE_WIDTH} 4 re f")
        self._text(MARGIN, PAGE_HEIGHT - 19, 9, BUREAU + "    " + self.title, "1 1 1")
        self.y = PAGE_HEIGHT - 70

    def _text(self, x, y, size, text, rgb="0.1 0.1 0.1"):
        self.ops.append(f"BT {rgb} rg /F1 {size} Tf {x:.1f} {y:.1f} Td {_hex(text)} Tj ET")

    def _need(self, height):
        if self.y - height < MARGIN:
            self._new_page()

    def title_block(self, title, subtitle):
        for line in _wrap(title, 20):
            self._need(30)
            width = sum(_em(c) for c in line) * 20
            self._text((PAGE_WIDTH - width) / 2, self.y, 20, line, BLUE_RGB)
            self.y -= 30
        width = sum(_em(c) for c in subtitle) * 11
        self._text((PAGE_WIDTH - width) / 2, self.y, 11, subtitle, "0.35 0.35 0.35")
        self.y -= 30

    def heading(self, text):
        self._need(40)
        self.y -= 6
        self.ops.append(f"{RED_RGB} rg {MARGIN} {self.y - 3:.1f} 4 16 re f")
        self._text(MARGIN + 10, self.y, 14, text, BLUE_RGB)
        self.y -= 26

    def paragraph(self, text, size=11, indent=True):
        lines = _wrap(("\u3000\u3000" if indent else "") + text, size)
        for line in lines:
            self._need(size * 1.8)
            self._text(MARGIN, self.y, size, line)
            self.y -= size * 1.8
        self.y -= 6

    def table(self, rows, size=10):
        columns = len(rows[0])
        first = (PAGE_WIDTH - 2 * MARGIN) * (0.46 if columns == 3 else 0.4)
        rest = (PAGE_WIDTH - 2 * MARGIN - first) / (columns - 1)
        row_height = size * 2.2
        for index, row in enumerate(rows):
            self._need(row_height + 4)
            if index == 0:
                self.ops.append(
                    f"0.87 0.92 0.97 rg {MARGIN} {self.y - size * 0.7:.1f} "
                    f"{PAGE_WIDTH - 2 * MARGIN} {row_height:.1f} re f"
                )
            x = MARGIN + 4
            for column, cell in enumerate(row):
                self._text(x, self.y, size, str(cell))
                x += first if column == 0 else rest
            self.ops.append(
                f"0.7 0.75 0.82 RG 0.5 w {MARGIN} {self.y - size * 0.7:.1f} m "
                f"{PAGE_WIDTH - MARGIN} {self.y - size * 0.7:.1f} l S"
            )
            self.y -= row_height
        self.y -= 10

    def finish(self):
        for number, ops in enumerate(self.pages, start=1):
            label = f"第 {number} 页 共 {len(self.pages)} 页"
            width = sum(_em(c) for c in label) * 9
            ops.append(
                f"BT 0.45 0.45 0.45 rg /F1 9 Tf {(PAGE_WIDTH - width) / 2:.1f} 30 Td "
                f"{_hex(label)} Tj ET"
            )
        return [("\n".join(ops)).encode("ascii") for ops in self.pages]


def _pdf_file(page_streams, title):
    """Assemble the objects, cross-reference table and trailer of a PDF 1.4 file."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [4 0 R] >>",
        4: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>",
        5: b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
        6: b"<< /Title " + _info(title) + b" /Author " + _info(BUREAU) + b" /Producer (Fangxin) >>",
    }
    kids = []
    next_id = 7
    for stream in page_streams:
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        kids.append(f"{page_id} 0 R")
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        ).encode("ascii")
        objects[content_id] = (
            f"<< /Length {len(stream)} >>\nstream\n".encode("ascii") + stream + b"\nendstream"
        )
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode("ascii")

    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(output)
        output += f"{number} 0 obj\n".encode("ascii") + objects[number] + b"\nendobj\n"
    xref = len(output)
    size = max(objects) + 1
    output += f"xref\n0 {size}\n0000000000 65535 f \n".encode("ascii")
    for number in range(1, size):
        output += f"{offsets[number]:010d} 00000 n \n".encode("ascii")
    output += (
        f"trailer\n<< /Size {size} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode("ascii")
    return bytes(output)


def _plain(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def build_annual_2025_pdf():
    """The 2025 annual report's page body, laid out as a printable summary."""
    report = next(r for r in REPORTS if r["slug"].startswith("2025-hunan-xiaofeizhe"))
    title = "2025年湖南省消费者权益保护状况报告（摘要）"
    pages = _PdfPages("2025年湖南省消费者权益保护状况报告")
    pages.title_block(title, f"{BUREAU}  2026年3月")
    pages.paragraph(report["intro"])
    for block_type, value in report["body"]:
        if block_type == "key_figures":
            pages.heading(value["heading"])
            rows = [["指标", "数值"]] + [
                [f["label"], f"{f['value']} {f['unit']}"] for f in value["figures"]
            ]
            pages.table(rows)
        elif block_type == "paragraph":
            for tag, text in re.findall(r"<(h2|p)>(.*?)</\1>", value, flags=re.S):
                if tag == "h2":
                    pages.heading(_plain(text))
                else:
                    pages.paragraph(_plain(text))
        elif block_type == "table":
            pages.heading(value["caption"])
            pages.table(value["table"]["data"])
            if value.get("source"):
                pages.paragraph("数据来源：" + value["source"], size=9, indent=False)
    pages.paragraph("本站当前为演示环境，2025年数据为演示数据。", size=9, indent=False)
    return _pdf_file(pages.finish(), title)


# key: (title, file name, builder)
DOCUMENTS = {
    "annual_2025_pdf": (
        "《2025年湖南省消费者权益保护状况报告》摘要",
        # Saved under a Chinese name: the reader downloads it as 2025年…摘要.pdf.
        "2025年湖南省消费者权益保护状况报告摘要.pdf",
        build_annual_2025_pdf,
    ),
    "h1_2026_xlsx": (
        "2026年上半年湖南省12315投诉举报数据表",
        "2026年上半年湖南省12315投诉举报数据表.xlsx",
        build_h1_2026_xlsx,
    ),
}


def ensure_documents(update=False, collection=None):
    """Create the missing documents; returns ``({key: Document}, number created or rewritten)``."""
    from wagtail.documents import get_document_model

    document_model = get_document_model()
    result, written = {}, 0
    for key, (title, filename, build) in DOCUMENTS.items():
        document = document_model.objects.filter(title=title).order_by("pk").first()
        if document is None or update:
            if document is None:
                document = document_model(title=title)
                if collection is not None:
                    document.collection = collection
            elif document.file:
                document.file.delete(save=False)
            document.file = ContentFile(build(), name=filename)
            document._set_document_file_metadata()
            document.save()
            written += 1
        result[key] = document
    return result, written
