"""
Membership codes are compared character for character on every database, as the import compares
them: `HN` and `hn` are two provinces on SQLite, PostgreSQL and MariaDB alike (MariaDB's default
collation folds case and accents; the codes have a binary collation there, see xblocks/ledger/fields.py).
"""
import pytest
from django.db import connection

from tests.commands import run
from tests.reports.conftest import HEADER
from xblocks.ledger.fields import binary_collation
from xblocks.reports.models import Collective, Commune, Member, Province

pytestmark = [pytest.mark.database, pytest.mark.django_db]

# Codes that differ only in case or in an accent (the import strips spaces around values).
ROWS = [
    "1,1980,farmers,HN,Tỉnh Một,X1,Xã Một,Fam,,,,,U1,Ủy ban,agency,staff,",
    "2,1981,farmers,hn,Tỉnh Hai,x1,Xã Hai,fam,,,,,u1,Trường,school,learner,",
    "3,1982,farmers,HN,,X1,,Đông,,,,,,,,,",
    "4,1983,farmers,hn,,x1,,Dong,,,,,,,,,",
    "5,1984,farmers,HN,,X1,,DONG,,,,,,,,,",
]


def import_file(tmp_path, rows, name="members.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return run("import-members", str(path))


def test_codes_differing_only_in_case_or_accents_are_different_places_and_groups(tmp_path):
    code, out, err = import_file(tmp_path, ROWS)
    assert code == 0 and not err, err
    assert dict(Province.objects.values_list("code", "name")) == {"HN": "Tỉnh Một", "hn": "Tỉnh Hai"}
    assert {c.code: c.province.code for c in Commune.objects.select_related("province")} == {"X1": "HN", "x1": "hn"}
    assert sorted(Collective.objects.filter(kind="family").values_list("code", flat=True)) == ["DONG", "Dong", "Fam", "fam", "Đông"]
    assert dict(Collective.objects.filter(kind="unit").values_list("code", "unit_kind")) == {"U1": "agency", "u1": "school"}
    assert dict(Member.objects.values_list("user_id", "family__code")) == {1: "Fam", 2: "fam", 3: "Đông", 4: "Dong", 5: "DONG"}


def test_importing_codes_of_another_case_later_adds_them_beside_the_stored_ones(tmp_path):
    assert import_file(tmp_path, ROWS[:1])[0] == 0
    code, out, err = import_file(tmp_path, [ROWS[1]], "second.csv")
    assert code == 0 and not err, err
    assert "2 new communes or provinces" in out
    assert Province.objects.count() == 2 and Collective.objects.filter(kind="unit").count() == 2
    # The same file again changes nothing.
    code, out, _ = import_file(tmp_path, [ROWS[1]], "second.csv")
    assert code == 0 and "0 new communes or provinces" in out
    assert Province.objects.count() == 2


def test_the_code_columns_are_binary_on_mariadb_and_mysql():
    if connection.vendor != "mysql":
        # SQLite and PostgreSQL compare text exactly with their default collations: the fields ask for none there.
        assert [model._meta.get_field("code").db_parameters(connection).get("collation")
                for model in (Province, Commune, Collective)] == [None, None, None]
        return
    tables = [model._meta.db_table for model in (Province, Commune, Collective)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, collation_name FROM information_schema.columns "
                       f"WHERE table_schema = DATABASE() AND column_name = 'code' AND table_name IN ({', '.join(['%s'] * 3)})",
                       tables)
        assert dict(cursor.fetchall()) == dict.fromkeys(tables, binary_collation(connection))
