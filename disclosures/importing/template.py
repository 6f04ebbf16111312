"""The downloadable import template: the headers and one example row, as UTF-8 with BOM.

The BOM is what makes Excel on a Chinese Windows open UTF-8 without garbling the headers.
"""

import csv
import io

from .columns import COLUMN_LIST

FILENAME = "投诉公示导入模板.csv"


def template_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.label for column in COLUMN_LIST])
    writer.writerow([column.example for column in COLUMN_LIST])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
