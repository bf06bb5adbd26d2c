"""The one formula guard the ledger's and the reports' CSV files share."""
import pytest

from xblocks.common.spreadsheet import spreadsheet_safe


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
