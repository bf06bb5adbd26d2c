"""`learning-citizen import-members`: the whole file is checked first; one bad row and nothing changes."""
import io

import pytest

from tests.commands import run
from tests.reports.conftest import HEADER, MEMBERS_CSV
from xblocks.criteria.problems import InvalidInput
from xblocks.reports.membership import import_members
from xblocks.reports.models import Collective, Commune, Member, Province

pytestmark = [pytest.mark.database, pytest.mark.django_db]

GOOD = "1,1980,farmers,01,Tỉnh Một,00001,Xã Một,F1,,,C1,,U1,Ủy ban,agency,staff,"


def write(tmp_path, text, name="members.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def test_import_creates_members_places_and_groups(tmp_path):
    code, out, err = run("import-members", write(tmp_path, MEMBERS_CSV))
    assert code == 0, err
    assert "Members: 13 added, 0 updated, 0 unchanged; 5 new communes or provinces" in out
    assert Member.objects.count() == 13
    assert dict(Province.objects.values_list("code", "name")) == {"01": "Tỉnh Một", "02": "Tỉnh Hai"}
    assert {c.code: (c.name, c.province.code) for c in Commune.objects.select_related("province")} == {
        "00001": ("Xã Một", "01"), "00002": ("Phường Hai", "01"), "00010": ("Xã Mười", "02")}
    u1 = Collective.objects.get(kind="unit", code="U1")
    assert (u1.name, u1.unit_kind, u1.commune.code) == ("Ủy ban xã Một", "agency", "00001")
    # A unit takes the commune of its first member's row unless unit_commune_code says otherwise.
    assert Collective.objects.get(kind="unit", code="U2").commune.code == "00002"
    assert Collective.objects.get(kind="family", code="F3").commune.code == "00002"
    assert Collective.objects.get(kind="clan", code="K1").commune is None
    assert Collective.objects.get(kind="family", code="F2").name == "F2"   # no name given: the code
    member = Member.objects.select_related("family", "unit", "community").get(user_id=9)
    assert (member.birth_year, member.population_group, member.unit.code, member.unit_role, member.family) == \
        (2011, "learners", "S1", "learner", None)


def test_importing_again_updates_what_changed_and_only_that(tmp_path):
    run("import-members", write(tmp_path, MEMBERS_CSV))
    moved = HEADER + "\n" + "5,1990,officials,01,,00002,,,,,,,U2,,,staff,\n" + "2,1985,workers,01,,00001,,F1,,,C1,,,,,,\n"
    code, out, _ = run("import-members", write(tmp_path, moved, "moved.csv"))
    assert code == 0 and "Members: 0 added, 1 updated, 1 unchanged; 0 new communes or provinces, 0 new" in out
    member = Member.objects.select_related("commune", "unit").get(user_id=5)
    assert (member.commune.code, member.unit.code) == ("00002", "U2")
    assert member.updated_at > Member.objects.get(user_id=2).updated_at   # 2 was unchanged
    assert Member.objects.count() == 13   # members not in the file stay


def test_the_file_wins_over_stored_names(tmp_path):
    run("import-members", write(tmp_path, MEMBERS_CSV))
    renamed = HEADER + "\n1,1980,farmers,01,Tỉnh Một Mới,00001,,F1,,,C1,,U1,,,staff,\n"
    assert run("import-members", write(tmp_path, renamed, "renamed.csv"))[0] == 0
    assert Province.objects.get(code="01").name == "Tỉnh Một Mới"
    assert Commune.objects.get(code="00001").name == "Xã Một"          # not given: kept
    assert Collective.objects.get(kind="unit", code="U1").unit_kind == "agency"   # kind known from before


BAD_ROWS = {
    "user-id": ("x1,1980,farmers,01,,00001,,,,,,,,,,,", "user_id 'x1' is not a positive whole number"),
    "zero-user": ("0,1980,farmers,01,,00001,,,,,,,,,,,", "user_id '0' is not a positive whole number"),
    "birth-year": ("7,19800,farmers,01,,00001,,,,,,,,,,,", "birth_year '19800' is not a year between 1900 and this year"),
    "future-birth": ("7,2999,farmers,01,,00001,,,,,,,,,,,", "birth_year '2999'"),
    "population-group": ("7,1980,pilots,01,,00001,,,,,,,,,,,", "population_group 'pilots' is not one of: farmers, workers, officials, learners"),
    "no-commune": ("7,1980,farmers,01,,,,,,,,,,,,,", "commune_code is required"),
    "no-province": ("7,1980,farmers,,,00001,,,,,,,,,,,", "province_code is required"),
    "role": ("7,1980,farmers,01,,00001,,,,,,,U1,,,boss,", "unit_role 'boss' is not one of: staff, learner"),
    "no-role": ("7,1980,farmers,01,,00001,,,,,,,U1,,,,", "unit_role '' is not one of: staff, learner"),
    "unit-kind": ("7,1980,farmers,01,,00001,,,,,,,U7,,ministry,staff,", "unit_kind 'ministry' is not one of: agency, school, enterprise"),
    "kindless-unit": ("7,1980,farmers,01,,00001,,,,,,,U7,,,staff,", "unit U7 needs a unit_kind on at least one of its rows"),
    "role-without-unit": ("7,1980,farmers,01,,00001,,,,,,,,,,staff,", "unit_role is given without unit_code"),
    "name-without-code": ("7,1980,farmers,01,,00001,,,Nhà Bảy,,,,,,,,", "family_name is given without family_code"),
    "long-code": ("7,1980,farmers,01,,00001,," + "F" * 51 + ",,,,,,,,,", "family_code must be at most 50 characters"),
    "province-moves": ("7,1980,farmers,02,,00001,,,,,,,,,,,", "commune_code 00001 has province_code 01 on line 2, but 02 here"),
    "family-moves": ("7,1980,farmers,01,,00002,,F1,,,,,,,,,", "family_code F1 has commune_code 00001 on line 2, but 00002 here"),
    "renamed-twice": ("7,1980,farmers,01,Tỉnh Khác,00001,,,,,,,,,,,", "province_code 01 has province_name Tỉnh Một on line 2, but Tỉnh Khác here"),
    "seat-unknown": ("7,1980,farmers,01,,00001,,,,,,,U7,,agency,staff,99999", "unit_commune_code 99999 is not a commune"),
    "duplicate-user": ("1,1980,farmers,01,,00001,,,,,,,,,,,", "user 1 is already on line 2"),
    "too-many-fields": (GOOD + ",extra", "18 fields, but the header names 17 columns"),
}


@pytest.mark.parametrize("kind", sorted(BAD_ROWS))
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(tmp_path, kind):
    bad, reason = BAD_ROWS[kind]
    text = "\n".join([HEADER, GOOD, "2,1985,workers,01,,00001,,F1,,,C1,,,,,,", bad, "3,2012,learners,01,,00001,,F1,,,,,,,,,"]) + "\n"
    code, out, err = run("import-members", write(tmp_path, text))
    assert code == 1 and out == ""
    assert "nothing was changed" in err
    assert f"line 4: {reason}" in err, err
    assert "line 2:" not in err and "line 3:" not in err and "line 5:" not in err
    assert Member.objects.count() == 0 and Province.objects.count() == 0 and Collective.objects.count() == 0


def test_every_bad_row_is_reported_and_stored_members_are_untouched(tmp_path):
    run("import-members", write(tmp_path, MEMBERS_CSV))
    text = "\n".join([HEADER, "1,1981,farmers,01,,00001,,,,,,,,,,,", "x,1980,farmers,01,,00001,,,,,,,,,,,",
                      "8,1980,pilots,01,,00001,,,,,,,,,,,"]) + "\n"
    code, _, err = run("import-members", write(tmp_path, text, "bad.csv"))
    assert code == 1
    assert "line 3: user_id 'x'" in err and "line 4: population_group 'pilots'" in err
    assert Member.objects.get(user_id=1).birth_year == 1980   # line 2 was good, but nothing was written


@pytest.mark.parametrize("text, reason", [
    ("", "line 1: the file is empty"),
    ("user_id,birth_year\n1,1980\n", "line 1: missing columns: population_group, province_code, commune_code"),
    (HEADER + ",shoe_size\n", "line 1: unknown columns: shoe_size"),
    ("user_id,user_id,birth_year,population_group,province_code,commune_code\n", "line 1: columns appear more than once: user_id"),
])
def test_header_problems(tmp_path, text, reason):
    code, _, err = run("import-members", write(tmp_path, text))
    assert code == 1 and reason in err


def test_bytes_that_are_not_utf8_and_huge_lines_are_named(tmp_path):
    text = (HEADER + "\n" + GOOD + "\n").encode() + "7,1980,farmers,01,Hà,00001,,,,,,,,,,,\n".encode("latin-1") + \
        b"8," + b"9" * 70000 + b"\n"
    code, _, err = run("import-members", write(tmp_path, text))
    assert code == 1
    assert "line 3: line is not UTF-8 text" in err and "line 4: line is longer than 65536 bytes" in err
    assert Member.objects.count() == 0


def test_spreadsheet_files_with_a_byte_order_mark_and_crlf_import(tmp_path):
    text = ("\ufeff" + HEADER + "\r\n" + GOOD + "\r\n").encode("utf-8")
    code, out, err = run("import-members", write(tmp_path, text))
    assert code == 0, err
    assert "1 added" in out


def test_quoted_fields_and_column_order_are_free(tmp_path):
    text = 'commune_code,province_code,population_group,birth_year,user_id,family_code,family_name\n' \
           '00001,01,farmers,1980,1,F1,"Nguyễn, Văn A"\n'
    assert run("import-members", write(tmp_path, text))[0] == 0
    assert Collective.objects.get(kind="family", code="F1").name == "Nguyễn, Văn A"


def test_missing_file(tmp_path):
    code, _, err = run("import-members", str(tmp_path / "absent.csv"))
    assert code == 1 and "Cannot read" in err


def test_parse_errors_come_as_invalid_input():
    with pytest.raises(InvalidInput) as caught:
        import_members(io.BytesIO(b"user_id\n"))
    assert [problem.line for problem in caught.value.problems] == [1]


def test_a_name_that_differs_only_in_case_or_accents_replaces_the_stored_one(tmp_path):
    """Names are compared exactly too: MariaDB's default collation would hold these equal and keep the old one."""
    run("import-members", write(tmp_path, MEMBERS_CSV))
    renamed = HEADER + "\n1,1980,farmers,01,TỈNH MỘT,00001,Xa Mot,F1,GIA ĐÌNH MỘT,,C1,,U1,,,staff,\n"
    assert run("import-members", write(tmp_path, renamed, "renamed.csv"))[0] == 0
    assert Province.objects.get(code="01").name == "TỈNH MỘT"
    assert Commune.objects.get(code="00001").name == "Xa Mot"
    assert Collective.objects.get(kind="family", code="F1").name == "GIA ĐÌNH MỘT"
