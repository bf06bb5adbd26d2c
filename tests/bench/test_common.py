"""What the benchmarks share: their sections of docs/benchmarks.md, the median round, the bench database's safety."""
import pytest

from tests.bench import common, export_bench, import_bench, report_bench

PAGE = "# Benchmarks\n\nledger figures\n"


@pytest.mark.parametrize("bench", [export_bench, import_bench, report_bench], ids=lambda module: module.__name__)
def test_each_section_replaces_its_earlier_self_and_leaves_the_others(bench):
    section = bench.SECTION
    first = f"{section.start}\nfirst run\n{section.end}\n"
    second = f"{section.start}\nsecond run\n{section.end}\n"
    other = common.MarkdownSection("other-benchmark")
    page = other.replace(PAGE, f"{other.start}\nother figures\n{other.end}\n")
    once = section.replace(page, first)
    assert once.startswith(PAGE) and "other figures" in once and once.count(section.start) == 1
    again = section.replace(once, second)
    assert "first run" not in again and "second run" in again and "other figures" in again
    assert section.replace(again, second) == again
    assert section.kept(again) == second and other.kept(again) == f"{other.start}\nother figures\n{other.end}\n"
    assert section.kept(PAGE) is None


def test_a_section_is_written_into_a_file_made_when_missing_and_printed_without_one(tmp_path, capsys):
    section = common.MarkdownSection("demo-benchmark")
    path = tmp_path / "benchmarks.md"
    text = f"{section.start}\nfigures\n{section.end}\n"
    section.publish(text, path)
    section.publish(text, path)
    assert path.read_text("utf-8").count("figures") == 1
    section.publish(text)
    assert "figures" in capsys.readouterr().out


def test_the_median_round_carries_the_worst_memory_of_all_rounds():
    rounds = [{"seconds": 3.0, "growth_mib": 1.0, "traced_mib": 0.5}, {"seconds": 1.0, "growth_mib": 4.0, "traced_mib": None},
              {"seconds": 2.0, "growth_mib": 2.0, "traced_mib": 0.7}]
    median = common.median_round(rounds)
    assert (median["seconds"], median["growth_mib"], median["traced_mib"], median["rounds"]) == (2.0, 4.0, 0.7, 3)
    by_rate = common.median_round([{"seconds": 1, "rate": 9}, {"seconds": 2, "rate": 1}, {"seconds": 3, "rate": 5}],
                                  key=lambda item: item["rate"])
    assert by_rate["rate"] == 5 and "growth_mib" not in by_rate


@pytest.mark.django_db
def test_the_bench_never_resets_a_database_that_is_not_its_own():
    """The connected database (the tests') is not the bench's: refused before anything is dropped."""
    from xblocks.reports.models import Province  # pylint: disable=import-outside-toplevel
    Province.objects.create(code="99", name="Tỉnh thử")
    with pytest.raises(SystemExit, match="refusing to reset"):
        common.recreate_connected_database("bench-only.sqlite3", "lc_bench_only")
    assert Province.objects.filter(code="99").exists()


def test_removing_an_sqlite_database_takes_its_journals(tmp_path):
    path = tmp_path / "bench.sqlite3"
    for suffix in common.SQLITE_SUFFIXES:
        (tmp_path / f"bench.sqlite3{suffix}").write_text("x")
    (tmp_path / "other.sqlite3").write_text("x")
    common.remove_sqlite(path)
    assert [item.name for item in tmp_path.iterdir()] == ["other.sqlite3"]
