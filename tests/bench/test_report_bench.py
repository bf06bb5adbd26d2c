"""The report benchmark keeps working: the report and the hand-written SQL agree; a small run renders its section."""
import pytest

from tests.bench import report_bench


@pytest.mark.database
@pytest.mark.django_db
def test_the_report_and_the_hand_sql_count_the_same_figures():
    """On the bench's population (reversals, members in several groups, units), on every database."""
    report_bench.populate(400, analyze=False)
    figures = report_bench.report_figures()
    assert figures == report_bench.hand_figures()
    # The population has every kind of member the figures count, so agreeing means something.
    assert all(figures[name] > 0 for name in report_bench.FIGURES), figures
    assert figures["holders"] < figures["people"] and figures["digital_proficient"] < figures["holders_digital"]


def _results():
    def item(seconds, growth, traced=1.0):
        return {"seconds": seconds, "growth_mib": growth, "traced_mib": traced}
    return {"backends": {"sqlite": [
        {"members": 1000, "fill_seconds": 1.0, "round_ratios": [1.5, 1.6], "hand": item(0.1, 1.0), "report": item(0.15, 2.0)},
        {"members": 10000, "fill_seconds": 9.0, "round_ratios": [1.2], "hand": item(1.0, 1.0), "report": item(1.2, 2.5)},
    ]}}


def test_the_section_states_ratio_growth_and_memory():
    text = report_bench.section(_results(), note="10^6 did not fit.")
    assert "| SQLite | 1,000 | 0.10 | 0.15 | 1.50 | 1.50, 1.60 | – | – | 2.0 MiB | 1.00 MiB |" in text
    assert "| SQLite | 10,000 | 1.00 | 1.20 | 1.20 | 1.20 | ×10.0 | ×8.0 | 2.5 MiB | 1.00 MiB |" in text
    assert "10^6 did not fit." in text


def test_the_area_table_takes_the_fixed_cost_off_before_comparing_per_member():
    results = _results()
    item = results["backends"]["sqlite"][1]
    item["figures"] = {"people": 10000}

    def area(seconds, people):
        return {"seconds": seconds, "figures": {"people": people}, "cache": "page cache 2 MiB"}
    item["areas"] = {report_bench.EMPTY_AREA: area(0.2, 0), "province:01": area(0.7, 5000), "commune:00001": area(0.3, 500)}
    text = report_bench.section(results)
    # The whole membership: (1.2 - 0.2) s over 10,000 members is 100 µs each.
    assert "| SQLite | 10,000 | `province:01` | 5,000 | 0.700 | 0.200 | 100.0 | 100.0 | 1.00 | page cache 2 MiB |" in text
    assert "| SQLite | 10,000 | `commune:00001` | 500 | 0.300 | 0.200 | 200.0 | 100.0 | 2.00 | page cache 2 MiB |" in text
    assert f"`{report_bench.EMPTY_AREA}` |" not in text


@pytest.mark.database
@pytest.mark.django_db
def test_an_area_report_counts_its_own_members_on_the_bench_population():
    """The areas the bench measures hold members (U1, the fixed cost's, holds none): their per-member cost means something."""
    report_bench.populate(400, analyze=False)
    whole = report_bench.report_figures()["people"]
    counted = {area: report_bench.report_figures(area)["people"] for area in (*report_bench.AREAS, report_bench.EMPTY_AREA)}
    assert counted[report_bench.EMPTY_AREA] == 0
    assert 0 < counted["unit:U2"] < counted["commune:00001"] < counted["province:01"] < whole, counted


def test_a_small_run_end_to_end(run_bench, tmp_path):
    """Fill, then the hand SQL and the report in their own processes, on a bench database of its own (SQLite)."""
    text = run_bench("tests.bench.report_bench", "--sizes", "300", "--backends", "sqlite", "--quick", timeout=300)
    assert "| SQLite | 300 | " in text and "| SQLite | 300 | `province:01` | " in text
    assert not (tmp_path / report_bench.SQLITE_NAME).exists()


def test_a_database_measured_again_is_named_by_its_cache():
    first = _results()
    again = _results()
    for item in again["backends"]["sqlite"]:
        item["report"]["cache"] = "page cache 64 MiB"
    text = report_bench.section(report_bench.merge([first, again]))
    assert "| SQLite | 1,000 | 0.10 | 0.15 |" in text
    assert "| SQLite (page cache 64 MiB) | 1,000 | 0.10 | 0.15 |" in text
