"""
CSV cells a spreadsheet will not run as formulas (CSV or formula injection).

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula, so a course key such as ``=HYPERLINK("http://…")`` would become
a live link (or worse) in the file staff download. :func:`spreadsheet_safe` puts an apostrophe in
front of such a value, which the spreadsheet shows as text.

Guard the text columns only. The numbers a CSV writes itself (points, a reversal's ``-3.00``,
counts, percentages) must stay numbers: guarding them would turn ``-3.00`` into text.
"""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value`` as text for a CSV text column (None: empty), with a leading ``'`` if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
