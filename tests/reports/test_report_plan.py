"""
The report's grouped query on PostgreSQL hashes its few groups instead of sorting every member
(issue 15): the planner cannot estimate the groups a correlated subquery makes and assumes one per
member, so past work_mem it would sort the whole area first.
"""
import pytest
from django.db import connection, transaction

from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.targets import get_targets
from xblocks.reports.areas import resolve_area
from xblocks.reports.progress import build_report, grouping_plan, member_groups

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def enable_sort():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_sort')")
        return cursor.fetchone()[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a PostgreSQL planner setting")
def test_the_grouped_query_hashes_instead_of_sorting_the_members(population):  # pylint: disable=unused-argument
    targets = get_targets()
    queryset = member_groups("2026", resolve_area("province:01"), get_framework(targets.criteria_framework), targets)
    with transaction.atomic():
        with connection.cursor() as cursor:   # as little memory as a province's million members leaves
            cursor.execute("SET LOCAL work_mem = '64kB'")
        assert "Sort" in queryset.explain()   # what the planner does on its own
        with grouping_plan():
            planned = queryset.explain()
            report = build_report("2026", "province:01")
        assert "HashAggregate" in planned and "Sort" not in planned
        assert enable_sort() == "on"          # put back for the rest of the transaction
    assert report.progress.people > 0


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a PostgreSQL planner setting")
def test_a_failing_query_takes_the_setting_back_with_it(population):  # pylint: disable=unused-argument
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError):
            with grouping_plan():
                assert enable_sort() == "off"
                raise ZeroDivisionError
        assert enable_sort() == "on"


def test_other_databases_plan_on_their_own(population):  # pylint: disable=unused-argument
    """No setting is touched elsewhere; the report is the same whatever the plan."""
    with grouping_plan():
        inside = build_report("2026", "province:01").progress.people
    assert inside == build_report("2026", "province:01").progress.people > 0
