"""Text that a spreadsheet must show as text, never run as a formula (CSV and XLSX exports).

Excel, WPS and LibreOffice take a cell starting with = + - @ for a formula, and a leading tab or
carriage return can hide one: a merchant registered as ``=HYPERLINK("http://…","点击")`` or a
complaint summary would run on the desk of whoever opens the export. Every export of text that
someone outside the bureau could have typed goes through this module.

In CSV the one way to say "this is text" is a leading apostrophe, which Excel hides and keeps
as the cell's text prefix. In XLSX the cell stays a string and carries the quote-prefix style
(what Excel sets when a user types the apostrophe), so its text is exactly what was stored and
it does not turn into a formula when someone edits it and presses Enter. Anything else,
including a dash in the middle of a name and negative numbers stored as numbers, is unchanged.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value):
    """The CSV cell for ``value``: formula-like text behind an apostrophe, all else unchanged."""
    return f"'{value}" if looks_like_formula(value) else value


class FormulaSafeExportMixin:
    """For a Wagtail index view with ``list_export`` (``SpreadsheetExportMixin``): CSV cells
    through ``csv_safe``, formula-like XLSX cells as quote-prefixed text."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return csv_safe(value) if export_format == self.FORMAT_CSV else value

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            if looks_like_formula(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True
            yield cell
