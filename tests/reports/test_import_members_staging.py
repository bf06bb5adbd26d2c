"""
`import-members` keeps no file in memory (issue 15): lines are staged in batches, checked across lines
in SQL and moved in one transaction. All or nothing must still hold: a bad last line, or a database
error while staging or while moving, leaves the membership as it was and no staged rows behind.
"""
import io
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from tests.reports.conftest import HEADER, MEMBERS_CSV
from tests.reports.test_import_members_properties import stored
from xblocks.criteria.problems import InvalidInput
from xblocks.reports import membership
from xblocks.reports.membership import import_members
from xblocks.reports.models import Member, MemberImport, StagedMember

pytestmark = [pytest.mark.database]


def many_members(count, first_user=1):
    """``count`` valid rows: four members a family, seven communes, three units (with a kind on every row)."""
    rows = [f"{user},1980,farmers,01,Tỉnh Một,{user // 4 % 7:05d},,F{user // 4},,,,,U{user % 3},,agency,staff,"
            for user in range(first_user, first_user + count)]
    return HEADER + "\n" + "\n".join(rows) + "\n"


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 50, so that a file of a few hundred lines is staged in many committed batches (and removed in slices of 30)."""
    monkeypatch.setattr(membership, "STAGING_BATCH", 50)
    monkeypatch.setattr(membership, "_DELETE_SLICE", 30)


def failing_statement(matches, after=0):
    """
    A wrapper that sends a statement the database refuses (a table that does not exist) in place of
    the first statement ``matches`` accepts after ``after`` others: a real error from the server.
    """
    seen = []

    def wrapper(execute, sql, params, many, context):
        if matches(sql):
            seen.append(sql)
            if len(seen) == after + 1:
                return context["cursor"].execute("SELECT no_such_column FROM learning_citizen_no_such_table")
        return execute(sql, params, many, context)
    return wrapper


@pytest.mark.django_db(transaction=True)
def test_a_bad_last_line_after_committed_batches_changes_nothing(small_batches):  # pylint: disable=unused-argument
    """Not inside a test transaction: the staged batches are really committed, then removed."""
    import_members(io.BytesIO(MEMBERS_CSV.encode()))
    before = stored()
    text = many_members(400, first_user=100) + "999,1980,pilots,01,,00001,,,,,,,,,,,\n"
    with pytest.raises(InvalidInput) as refused:
        import_members(io.BytesIO(text.encode()))
    assert [(problem.line, problem.params.get("value")) for problem in refused.value.problems] == [(402, "pilots")]
    assert stored() == before
    assert not StagedMember.objects.exists() and not MemberImport.objects.exists()


@pytest.mark.django_db
def test_a_database_error_while_moving_changes_nothing():
    import_members(io.BytesIO(MEMBERS_CSV.encode()))
    before = stored()
    # New places and groups are written before the members: the error comes after they were.
    text = many_members(120, first_user=100).replace(",01,Tỉnh Một,", ",03,Tỉnh Ba,")
    member_insert = f"INSERT INTO {connection.ops.quote_name(Member._meta.db_table)}"
    with connection.execute_wrapper(failing_statement(lambda sql: sql.startswith(member_insert))):
        with pytest.raises(DatabaseError):
            import_members(io.BytesIO(text.encode()))
    assert stored() == before
    assert not StagedMember.objects.exists() and not MemberImport.objects.exists()
    assert import_members(io.BytesIO(text.encode())).created == 120   # and the same file then imports


@pytest.mark.django_db
def test_a_database_error_while_staging_changes_nothing(small_batches):  # pylint: disable=unused-argument
    import_members(io.BytesIO(MEMBERS_CSV.encode()))
    before = stored()
    staged_insert = f"INSERT INTO {connection.ops.quote_name(StagedMember._meta.db_table)}"
    with connection.execute_wrapper(failing_statement(lambda sql: sql.startswith(staged_insert), after=2)):
        with pytest.raises(DatabaseError):
            import_members(io.BytesIO(many_members(300, first_user=100).encode()))
    assert stored() == before
    assert not StagedMember.objects.exists() and not MemberImport.objects.exists()


@pytest.mark.django_db
def test_a_large_file_imports_in_batches_and_again_unchanged(small_batches):  # pylint: disable=unused-argument
    text = many_members(260).encode()
    first = import_members(io.BytesIO(text))
    assert (first.created, first.updated, first.unchanged, first.places_created, first.groups_created) == (260, 0, 0, 8, 69)
    again = import_members(io.BytesIO(text))
    assert (again.created, again.updated, again.unchanged, again.places_created, again.groups_created) == (0, 0, 260, 0, 0)
    assert Member.objects.get(user_id=9).family.code == "F2" and Member.objects.get(user_id=9).unit.code == "U0"
    assert not StagedMember.objects.exists() and not MemberImport.objects.exists()


@pytest.mark.django_db
def test_a_killed_run_is_cleaned_up_by_a_later_one_and_a_running_one_is_not():
    abandoned, running = MemberImport.objects.create(), MemberImport.objects.create()
    MemberImport.objects.filter(pk=abandoned.pk).update(started_at=timezone.now() - timedelta(days=2))
    for run in (abandoned, running):
        StagedMember.objects.create(member_import=run, line=2, user_id=1, birth_year=1980)
    import_members(io.BytesIO(MEMBERS_CSV.encode()))
    assert list(MemberImport.objects.values_list("pk", flat=True)) == [running.pk]
    assert list(StagedMember.objects.values_list("member_import_id", flat=True)) == [running.pk]


@pytest.mark.django_db
def test_problems_across_lines_are_found_in_any_batch(small_batches):  # pylint: disable=unused-argument
    """A duplicate user and a family that moves, each far from its first line, in another batch."""
    text = many_members(200) + "5,1981,farmers,01,,00005,,F1,,,,,,,,,\n"
    with pytest.raises(InvalidInput) as refused:
        import_members(io.BytesIO(text.encode()))
    assert [str(problem.line) + ": " + problem.template for problem in refused.value.problems] == [
        "202: user {user_id} is already on line {earlier_line}",
        "202: {code_column} {code} has {column} {earlier} on line {earlier_line}, but {value} here",
    ]
    assert refused.value.problems[0].params["earlier_line"] == 6
    assert refused.value.problems[1].params == {"code_column": "family_code", "code": "F1", "column": "commune_code",
                                                "earlier": "00001", "earlier_line": 5, "value": "00005"}
    assert not Member.objects.exists() and not StagedMember.objects.exists()


@pytest.mark.django_db
def test_only_codes_given_two_values_are_looked_at_line_by_line():
    """One grouped pass per code column finds which agreements to check line by line: none in a file that agrees."""
    agreeing = many_members(40)
    # Line 3 moves family F0 to another commune and line 4 renames province 01; empty values agree with any.
    disagreeing = agreeing.replace("2,1980,farmers,01,Tỉnh Một,00000,", "2,1980,farmers,01,Tỉnh Một,00003,", 1).replace(
        "3,1980,farmers,01,Tỉnh Một,", "3,1980,farmers,01,Tỉnh Khác,", 1).replace("4,1980,farmers,01,Tỉnh Một,", "4,1980,farmers,01,,", 1)
    found = {}
    for name, text in (("agreeing", agreeing), ("disagreeing", disagreeing)):
        checker = membership._LineChecker(("farmers",), ("agency",))  # pylint: disable=protected-access
        run = MemberImport.objects.create()
        membership._stage_file(io.BytesIO(text.encode()), checker, run.pk)  # pylint: disable=protected-access
        found[name] = membership._codes_given_two_values(run.pk)  # pylint: disable=protected-access
    assert found["agreeing"] == set()
    assert found["disagreeing"] == {("family", "commune"), ("province", "province_name")}
    with pytest.raises(InvalidInput) as refused:
        import_members(io.BytesIO(disagreeing.encode()))
    assert sorted(problem.line for problem in refused.value.problems) == [3, 4]
