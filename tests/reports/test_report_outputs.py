"""
The report as a page and as CSV, through the command: self-contained, accessible HTML whose
charts carry the same figures as its tables, and CSV with the figures of test_report_figures.py.
"""
import csv
import io
import re
import subprocess
from html.parser import HTMLParser

import pytest
from django.utils import translation

from tests.commands import console_environment, console_script, run
from tests.reports.conftest import HEADER, MEMBERS_CSV
from xblocks.reports.models import Collective
from xblocks.reports.progress import build_report
from xblocks.reports.render import render_html

pytestmark = [pytest.mark.database, pytest.mark.django_db]


class Page(HTMLParser):
    """Every start tag with its attributes, the text, and the text inside each element kind."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.text, self.stack, self.inside = [], [], [], {}
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "rect", "line", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append(data)
        for tag in set(self.stack):
            self.inside.setdefault(tag, []).append(data)

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]

    def within(self, tag):
        return " ".join(self.inside.get(tag, []))


def contrast(foreground, background="#ffffff"):
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_page_is_self_contained_and_accessible(population):
    text = render_html(build_report("2026", "province:01"))
    page = Page(text)
    # Self-contained: no scripts, no external style sheets, images, fonts or links.
    assert not page.all("script") and not page.all("link") and not page.all("img") and not page.all("iframe")
    assert not re.search(r"""(src|href)\s*=|url\((?!#)|@import""", text)
    # Language, title, and a layout for phones.
    (html,) = page.all("html")
    assert html["lang"] == "en" and page.within("title").startswith("Learning Citizen progress, 2026: Province Tỉnh Một (01)")
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.all("meta")
    # Every chart is an image named by its title and description; every table has a caption and header cells with a scope.
    charts = page.all("svg")
    assert len(charts) == 3
    ids = {attrs.get("id") for _, attrs in page.tags}
    for chart in charts:
        assert chart["role"] == "img" and set(chart["aria-labelledby"].split()) <= ids and chart["viewbox"].startswith("0 0 320 ")
    assert len(page.all("title")) == 1 + len(charts) and len(page.all("desc")) == len(charts)
    tables = page.all("table")
    assert len(tables) == len(page.all("caption")) == 6
    assert all(attrs.get("scope") in ("col", "row") for attrs in page.all("th"))
    # Scrolling table regions can be reached by keyboard and are named.
    assert all(attrs["tabindex"] == "0" and attrs["role"] == "region" and attrs["aria-labelledby"] in ids
               for attrs in page.all("div") if attrs.get("class") == "scroll")
    # Colours: text 4.5:1 at least, chart shapes 3:1 at least (WCAG 2.1 AA 1.4.3, 1.4.11).
    for colour in ("#1b1b1b", "#4a4a4a", "#1e6b2e", "#a4161a", "#767676"):
        assert colour in text and contrast(colour) >= 4.5
    assert contrast("#1b1b1b", "#f0f0f0") >= 4.5
    for colour in ("#1a5fb4", "#8a4b00"):
        assert contrast(colour) >= 3


def test_charts_and_tables_carry_the_same_figures(population):
    page = Page(render_html(build_report("2026", "province:01")))
    in_charts, in_tables = page.within("svg"), page.within("table")
    # Adults in learning groups 57.1 %, staff 80.0 %, digital skills 57.1 %, proficient 50.0 %, units 66.7 %.
    for figure in ("57.1 %", "80.0 %", "50.0 %", "66.7 %"):
        assert figure in in_charts and figure in in_tables
    assert "2025: 40 %; 2030: 60 %" in in_charts
    assert "✗ not met" in in_tables and "2.9 points short; 1 more title holder needed" in in_tables
    # Units by level: 1 below level 1, 0 at level 1, 2 at level 2; by commune 2/5 and 2/2, staff 3/4 and 1/1.
    assert re.search(r"below level 1\s+1\s+level 1\s+0\s+level 2\s+2", in_tables)
    assert "2 / 5" in in_tables and "3 / 4" in in_tables and "40.0 %" in in_charts and "75.0 %" in in_charts


def test_the_page_in_vietnamese(population):
    with translation.override("vi"):
        text = render_html(build_report("2026", "province:01"))
    page = Page(text)
    assert page.all("html")[0]["lang"] == "vi"
    assert "57,1 %" in page.within("table") and "57,1 %" in page.within("svg")
    assert "Người lớn trong gia đình, dòng họ, cộng đồng học tập" in page.within("table")
    # The sources and the readings of our own are data in two languages (fixtures/targets), shown in the reader's.
    in_lists = page.within("li")
    assert "Thông tư 24/2023/TT-BGDĐT: đơn vị học tập đạt mức 1" in in_lists and "tuổi 18 là cách hiểu" in in_lists
    assert "Circular" not in text and "Building the Learning Citizen model" not in text and "our reading" not in text
    # Numbers inside the drawing stay machine-readable whatever the language.
    assert all("," not in attrs.get("width", "") for attrs in page.all("rect"))


def test_names_are_escaped(population):
    Collective.objects.filter(kind="unit", code="U1").update(name='<script>alert("x")</script>')
    text = render_html(build_report("2026", "province:01"))
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_report_csv_through_the_command(population):
    code, out, err = run("report", "--period", "2026", "--area", "province:01", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["period", "area", "section", "code", "label", "kind", "count", "of", "percent", "level",
                             "target_2025", "met_2025", "gap_2025", "more_needed_2025",
                             "target_2030", "met_2030", "gap_2030", "more_needed_2030"]
    targets = {row["code"]: row for row in rows if row["section"] == "target"}
    adults = targets["adults-in-learning-groups"]
    assert (adults["area"], adults["count"], adults["of"], adults["percent"]) == ("province:01", "4", "7", "57.1")
    assert (adults["target_2025"], adults["met_2025"], adults["gap_2025"], adults["more_needed_2025"]) == ("40", "yes", "0.0", "0")
    assert (adults["target_2030"], adults["met_2030"], adults["gap_2030"], adults["more_needed_2030"]) == ("60", "no", "2.9", "1")
    assert [targets[code]["percent"] for code in ("staff-in-learning-units", "holders-with-digital-skills", "holders-proficient",
                                                    "units-recognised", "units-level-2")] == ["80.0", "57.1", "50.0", "66.7", "66.7"]
    assert targets["families-recognised"]["count"] == "" and targets["families-recognised"]["target_2025"] == "70"
    units = {row["code"]: (row["kind"], row["count"], row["of"], row["level"]) for row in rows if row["section"] == "unit"}
    assert units == {"U1": ("agency", "3", "3", "2"), "S1": ("school", "1", "2", "0"), "U2": ("enterprise", "1", "1", "2")}
    breakdown = [(row["section"], row["code"], row["count"], row["of"]) for row in rows if row["section"].startswith("breakdown")]
    assert breakdown == [("breakdown-adults-in-groups", "00001", "2", "5"), ("breakdown-unit-staff", "00001", "3", "4"),
                         ("breakdown-adults-in-groups", "00002", "2", "2"), ("breakdown-unit-staff", "00002", "1", "1")]
    kinds = {row["code"]: (row["count"], row["of"]) for row in rows if row["section"] == "group-kind"}
    assert kinds == {"family": ("4", "5"), "clan": ("0", "1"), "community": ("2", "4")}
    (members,) = [row for row in rows if row["section"] == "members"]
    assert (members["count"], members["of"]) == ("7", "11")


def test_csv_cells_cannot_become_formulas(population):
    # Rows as a database could hold them whatever the import and the admin check.
    Collective.objects.filter(kind="unit", code="U1").update(name="=HYPERLINK(\"http://x\")", unit_kind="@SUM(A1)")
    code, out, _ = run("report", "--period", "2026", "--format", "csv")
    (unit,) = [row for row in csv.DictReader(io.StringIO(out)) if row["code"] == "U1"]
    assert code == 0 and unit["label"].startswith("'=") and unit["kind"] == "'@SUM(A1)"
    assert unit["count"].isdigit() and unit["area"] == "all"


def test_report_html_to_a_file(population, tmp_path):
    target = tmp_path / "report.html"
    code, out, err = run("report", "--period", "2026", "--area", "commune:00001", "-o", str(target))
    assert code == 0 and out == "" and f"Report on 10 members written to {target}." in err
    assert "40.0 %" in target.read_text("utf-8") and not (tmp_path / "report.html.partial").exists()


@pytest.mark.parametrize("argv, message", [
    (("--period", "2026", "--area", "province:99"), "there is no province with code 99"),
    (("--period", "2026", "--area", "village:1"), "is not 'all' or KIND:CODE"),
    (("--period", "26"), "is not a calendar year"),
])
def test_report_errors(population, tmp_path, argv, message):
    code, out, err = run("report", *argv, "-o", str(tmp_path / "r.html"))
    assert code == 1 and out == "" and message in err
    assert not list(tmp_path.iterdir())


@pytest.mark.django_db(transaction=True)
def test_the_console_script_imports_and_reports(tmp_path):
    """The real `learning-citizen` executable, in its own process, on this test's database."""
    env, script = console_environment(), console_script()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n1,1980,farmers,01,,00001,,,,,,,,,,,\nx,1980,farmers,01,,00001,,,,,,,,,,,\n", "utf-8")
    failed = subprocess.run([script, "import-members", str(bad)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert failed.returncode == 1 and "line 3: user_id 'x'" in failed.stderr
    good = tmp_path / "members.csv"
    good.write_text(MEMBERS_CSV, "utf-8")
    done = subprocess.run([script, "import-members", str(good)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and "13 added" in done.stdout, done.stderr
    report = subprocess.run([script, "report", "--period", "2026", "--area", "province:02", "--format", "csv"],
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert report.returncode == 0, report.stderr
    targets = {row["code"]: row for row in csv.DictReader(io.StringIO(report.stdout)) if row["section"] == "target"}
    assert (targets["adults-in-learning-groups"]["count"], targets["adults-in-learning-groups"]["of"]) == ("0", "2")
