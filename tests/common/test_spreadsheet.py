"""The one formula guard and the one CSV writer the ledger's and the reports' CSV files share."""
import csv
import io

import pytest

from tests.spreadsheets import NotRfc4180, python_rows, runnable, spreadsheet_rows
from xblocks.common.spreadsheet import NUL_REPLACEMENT, csv_writer, spreadsheet_safe


@pytest.mark.parametrize("value", [
    '=HYPERLINK("http://evil.example","Click")', "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+2", "\r=1+2",
])
def test_a_value_a_spreadsheet_would_run_gets_an_apostrophe(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value, cell", [
    ("course-v1:VN+DS101+2026", "course-v1:VN+DS101+2026"),   # a "+" inside is no formula
    ("Ủy ban xã Một", "Ủy ban xã Một"),
    ("'=already quoted", "'=already quoted"),
    ("", ""),
    (None, ""),
    (2026, "2026"),
])
def test_anything_else_is_left_alone(value, cell):
    assert spreadsheet_safe(value) == cell


@pytest.mark.parametrize("value", [" =1+2", "\n=1+2", "\r\n@SUM(A1)", " \t-1", "  +1"])
def test_leading_blanks_and_line_breaks_do_not_hide_a_formula(value):
    assert spreadsheet_safe(value) == "'" + value


# --- The one CSV writer ---------------------------------------------------------------------------

NASTY = ["a\r=1+1", "a\n=1+1", "a\r\n=1+1", "\r=1+1", "a\x00b", "x,y", "x;y", 'say "hi"', '"', "=1+1", "+1", "-1",
         "@SUM(A1)", "\t=1", " =1+1", "\n@x", ""]


def test_the_writer_keeps_one_record_per_row_whatever_the_text_holds():
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(["text", "number"])
    writer.writerows([spreadsheet_safe(value), -3] for value in NASTY)
    text = out.getvalue()
    by_python, by_spreadsheet = python_rows(text), spreadsheet_rows(text)
    assert len(by_python) == len(by_spreadsheet) == len(NASTY) + 1
    assert by_spreadsheet == by_python
    for value, (cell, number) in zip(NASTY, by_python[1:]):
        written = value.replace("\0", NUL_REPLACEMENT)
        assert cell in (written, "'" + written) and not runnable(cell)
        assert number == "-3"          # numbers are written as they are
    assert "\0" not in text


def test_the_spreadsheet_reader_splits_a_bare_cr_as_excel_does():
    """The reader the tests trust would have caught the old files (a bare CR written unquoted)."""
    legacy = io.StringIO(newline="")
    csv.writer(legacy, lineterminator="\n").writerow(["1", "a\r=1+1"])
    assert spreadsheet_rows(legacy.getvalue()) == [["1", "a"], ["=1+1"]]
    with pytest.raises(NotRfc4180):
        spreadsheet_rows('a"b,c\r\n')
