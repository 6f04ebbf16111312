"""Loading the region records (行政区划) from CSV; the codes' hierarchy is ``common.regions``.

The reference data ship for Hunan (``data/regions_hunan.csv``); another
province is one ``manage.py load_regions FILE`` away, with the same two columns.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from common.regions import CODE_RE, level_of, parent_code

DATA_DIR = Path(__file__).resolve().parent / "data"
HUNAN_CSV = DATA_DIR / "regions_hunan.csv"

CODE_HEADERS = ("行政区划代码", "代码", "code")
NAME_HEADERS = ("名称", "区划名称", "name")


class RegionDataError(ValueError):
    pass


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str


def read_region_rows(source):
    """Rows of a two-column CSV (代码, 名称) from a path or text; UTF-8 with or without BOM."""
    if isinstance(source, str | Path) and Path(source).exists():
        raw = Path(source).read_bytes()
    else:
        raw = source.encode() if isinstance(source, str) else source
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RegionDataError("无法识别文件编码（请使用 UTF-8 或 GB18030）")
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    try:
        code_col = next(i for i, h in enumerate(header) if h in CODE_HEADERS)
        name_col = next(i for i, h in enumerate(header) if h in NAME_HEADERS)
    except StopIteration:
        raise RegionDataError("表头应包含“行政区划代码”和“名称”两列") from None
    rows, errors = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        code = cells[code_col].strip() if len(cells) > code_col else ""
        name = cells[name_col].strip() if len(cells) > name_col else ""
        if not CODE_RE.match(code):
            errors.append(f"第{line}行：行政区划代码“{code}”应为6位数字")
        elif not name:
            errors.append(f"第{line}行：缺少名称")
        else:
            rows.append(RegionRow(code, name))
    if errors:
        raise RegionDataError("\n".join(errors))
    return rows


def load_regions(region_model, rows):
    """Create or rename regions (parents first); returns (created, updated)."""
    existing = {region.code: region for region in region_model.objects.all()}
    created = updated = 0
    for row in sorted(rows, key=lambda r: (level_of(r.code), r.code)):
        parent = parent_code(row.code)
        # A county directly under a province (省直辖县级市) has no city record of its own.
        if parent and parent not in existing:
            parent = parent_code(parent)
        parent = parent if parent in existing else None
        region = existing.get(row.code)
        if region is None:
            region = region_model.objects.create(
                code=row.code, name=row.name, level=level_of(row.code), parent_id=parent
            )
            existing[row.code] = region
            created += 1
        elif region.name != row.name or region.parent_id != parent:
            region.name, region.parent_id = row.name, parent
            region.save(update_fields=["name", "parent"])
            updated += 1
    return created, updated
