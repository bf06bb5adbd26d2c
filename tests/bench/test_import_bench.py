"""The import benchmark keeps working: its file imports, the floor loads the same rows, the section renders."""
import io

import pytest

from tests.bench import import_bench


@pytest.mark.database
@pytest.mark.django_db(transaction=True)  # CREATE TABLE commits on MariaDB: the rows are flushed after, not rolled back
def test_the_generated_file_imports_and_the_baseline_loads_the_same_rows(tmp_path):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from xblocks.reports.membership import import_members  # pylint: disable=import-outside-toplevel
    from xblocks.reports.models import Collective, Member  # pylint: disable=import-outside-toplevel
    path = tmp_path / "members.csv"
    import_bench.write_members(path, 400)
    result = import_members(io.BytesIO(path.read_bytes()))
    assert (result.created, Member.objects.count()) == (400, 400)
    assert Collective.objects.filter(kind="family").count() == 100 and Collective.objects.filter(kind="unit").count() > 1
    raw_table = connection.ops.quote_name(import_bench.RAW_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {raw_table} "
                       f"({', '.join(f'{connection.ops.quote_name(name)} VARCHAR(200)' for name in import_bench.COLUMNS)})")
    try:
        assert import_bench._baseline(path)[0] == 400  # pylint: disable=protected-access
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {raw_table}")


def _results():
    def item(seconds, growth):
        return {"rows": 0, "seconds": seconds, "growth_mib": growth, "peak_mib": 90.0}
    return {"rounds": 3, "single_round_from": 1000, "backends": {
        "sqlite": [{"members": 100, "import": item(2.0, 10.0), "baseline": item(0.5, 4.0), "round_ratios": [3.5, 4.0, 4.5],
                    "traced_mib": 3.25},
                   {"members": 1000, "import": item(20.0, 11.0), "baseline": item(4.0, 4.1), "round_ratios": [5.0],
                    "traced_mib": 3.5}],
        "postgresql": [{"members": 100, "import": item(3.0, 9.0), "baseline": item(1.0, 2.0)}],
    }}


def test_the_section_states_ratios_growth_and_memory():
    text = import_bench.section(_results())
    assert "| SQLite | 100 | 2.0 | 0.5 | 4.0 | 3.5, 4.0, 4.5 | – | – | 10.0 MiB | 4.0 MiB |" in text
    assert "| SQLite | 1,000 | 20.0 | 4.0 | 5.0 | 5.0 | ×10.0 | ×8.0 | 11.0 MiB | 4.1 MiB |" in text
    assert "| PostgreSQL | 100 | 3.0 | 1.0 | 3.0 | – | – | – | 9.0 MiB | 2.0 MiB |" in text
    assert "SQLite 10.0 MiB at 100 and 11.0 MiB at 1,000" in text
    assert "3 round(s) at every size below 1,000 members, one round from there" in text
    assert "the database engine not included): SQLite 3.2 MiB at 100, 3.5 MiB at 1,000." in text


def test_results_of_several_runs_merge():
    small, large = _results(), {"rounds": 1, "backends": {"sqlite": [{**_results()["backends"]["sqlite"][1], "members": 10000}]}}
    merged = import_bench.merge([large, small], note="The 10,000 run was its own.")
    assert [item["members"] for item in merged["backends"]["sqlite"]] == [100, 1000, 10000]
    assert (merged["rounds"], merged["single_round_from"], list(merged["backends"])) == (3, 1000, ["sqlite", "postgresql"])
    assert "The 10,000 run was its own." in import_bench.section(merged)


def test_a_small_run_end_to_end(run_bench, tmp_path):
    """The file, the bench database, the floor and the import in their own processes, on SQLite; nothing left behind."""
    text = run_bench("tests.bench.import_bench", "--sizes", "50,500", "--backends", "sqlite", "--rounds", "1")
    assert "| SQLite | 50 | " in text and "| SQLite | 500 | " in text
    assert "Python's own allocations at their peak" in text and " MiB at 500." in text  # the traced import ran
    assert not list(tmp_path.glob("import-bench*"))
