"""Reading an uploaded merchant list: CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX.

The reading itself (encodings, XLSX, header matching, Excel line numbers) is shared with the
complaint-disclosure import in ``common.tabular``; this module binds it to the merchant columns.
"""

import io

from common import tabular

from .columns import COLUMN_SET

ImportFileError = tabular.TabularFileError
decode_text = tabular.decode_text


def raw_rows(data):
    """Every row of the first sheet (XLSX) or of the CSV, as sequences of cell values."""
    return tabular.raw_rows(io.BytesIO(data))


def read_rows(data):
    """Yield ``(line_number, {field: value})`` for every non-blank data row of a file's bytes."""
    return tabular.read_rows(io.BytesIO(data), COLUMN_SET)
