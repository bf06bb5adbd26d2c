"""The export benchmark keeps working: the export and the raw dump read the same rows; the report section renders."""
import pytest

from tests.bench import export_bench


@pytest.mark.database
@pytest.mark.django_db
def test_the_export_and_the_raw_dump_read_the_same_rows():
    from tests.reports.conftest import build_population  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    build_population()
    expected = Entry.objects.filter(period=export_bench.PERIOD).count()
    assert export_bench._export("csv")[0] == export_bench._raw()[0] == expected  # pylint: disable=protected-access


def _results():
    def item(rows, seconds, growth):
        return {"rows": rows, "seconds": seconds, "growth_mib": growth}
    return {"sizes": [
        {"entries": 1000, "fill_seconds": 1.0, "round_ratios": [0.38, 0.40, 0.45], "measured": {"raw": item(1000, 0.1, 2.0), "export": item(1000, 0.25, 3.0),
                                                            "export-xapi": item(1000, 1.0, 4.0)}},
        {"entries": 10000, "fill_seconds": 9.0, "measured": {"raw": item(10000, 1.0, 2.1), "export": item(10000, 2.0, 3.1)}},
    ]}


def test_the_section_states_rates_ratios_and_memory():
    text = export_bench.section(_results())
    assert "| 1,000 | 4,000 | 10,000 | 0.40 | 0.38, 0.40, 0.45 | 3.0 MiB | 2.0 MiB |" in text
    assert "| 10,000 | 5,000 | 10,000 | 0.50 | – | 3.1 MiB | 2.1 MiB |" in text
    assert "| xapi | 1,000 | 0.10 | 4.0 MiB |" in text
    assert "went from 3.0 to 3.1 MiB" in text


def test_a_small_run_end_to_end(run_bench, tmp_path):
    """Fill, then the raw dump and the export in their own processes, on a bench database of its own."""
    text = run_bench("tests.bench.export_bench", "--sizes", "300", "--quick", timeout=300)
    assert "| 300 | " in text
    assert not (tmp_path / export_bench.DATABASE_NAME).exists()
