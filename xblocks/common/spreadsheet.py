"""
CSV files a spreadsheet reads as they were written: one record per row, no cell run as a formula.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula, so a course key such as ``=HYPERLINK("http://…")`` would become
a live link (or worse) in the file staff download. :func:`spreadsheet_safe` puts an apostrophe in
front of such a value, which the spreadsheet shows as text. Leading spaces and line breaks do not
hide a formula from it: ``" \\r\\n=1+1"`` is guarded too.

Guard the text columns only. The numbers a CSV writes itself (points, a reversal's ``-3.00``,
counts, percentages) must stay numbers: guarding them would turn ``-3.00`` into text.

Every CSV the suite writes goes through :func:`csv_writer`: RFC 4180 rows (CRLF at the end of a
record), so any field holding a CR, an LF, the separator or a quote is quoted and stays one cell,
where a bare CR written unquoted would start a new row in a spreadsheet (and that row's first
cell would escape the guard). A NUL, which spreadsheets cut text at, is written as U+FFFD.
"""
import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet skips before it looks for a formula character.
_LEADING_BLANKS = " \t\r\n"
NUL_REPLACEMENT = "\ufffd"


def spreadsheet_safe(value):
    """``value`` as text for a CSV text column (None: empty), with a leading ``'`` if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    runnable = text.startswith(FORMULA_START) or text.lstrip(_LEADING_BLANKS).startswith(FORMULA_START)
    return "'" + text if runnable else text


def _cell(value):
    return value.replace("\0", NUL_REPLACEMENT) if isinstance(value, str) else value


class _SpreadsheetWriter:
    """csv.writer in the excel dialect (CRLF, quote when needed) whose cells hold no NUL."""

    def __init__(self, out):
        self._writer = csv.writer(out, dialect="excel")

    def writerow(self, row):
        return self._writer.writerow([_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out):
    """The writer every CSV of the suite uses (``writerow(list)``); format the cells, guard text columns first."""
    return _SpreadsheetWriter(out)
