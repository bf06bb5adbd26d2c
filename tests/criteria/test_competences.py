"""Competence frameworks and crosswalks: the shipped data, the lookups, and every load-time check."""
import ast
import copy
import re
from pathlib import Path

import pytest

from xblocks.criteria import competences, crosswalks
from xblocks.criteria.competences import CompetenceFramework, available_competence_frameworks, get_competence_framework
from xblocks.criteria.crosswalks import Crosswalk, available_crosswalks, crosswalk
from xblocks.criteria.documents import load_fixture, validate
from xblocks.criteria.problems import InvalidInput

CIRCULAR = "circular-02-2025"
DIGCOMP = "digcomp-2.2"
CIRCULAR_FILE = "competences/circular-02-2025.json"
DIGCOMP_FILE = "competences/digcomp-2.2.json"
CROSSWALK_FILE = "competences/crosswalk-circular-02-2025--digcomp-2.2.json"

# DOMAIN.md section 5, written out once so the data is checked against the source, not itself.
DIGCOMP_CODES = [
    "1.1", "1.2", "1.3",
    "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
    "3.1", "3.2", "3.3", "3.4",
    "4.1", "4.2", "4.3", "4.4",
    "5.1", "5.2", "5.3", "5.4",
]
AI_CODES = ["6.1", "6.2", "6.3"]
CIRCULAR_CODES = DIGCOMP_CODES + AI_CODES


def shipped(relative_path, schema):
    """A fresh, mutable copy of a shipped data file."""
    return copy.deepcopy(load_fixture(relative_path, schema))


def circular_document():
    return shipped(CIRCULAR_FILE, "competence-framework")


def crosswalk_document():
    return shipped(CROSSWALK_FILE, "crosswalk")


def templates(excinfo):
    return [problem.template for problem in excinfo.value.problems]


def problem_with(excinfo, template):
    """The one problem raised with this template (fails if there is none)."""
    matching = [problem for problem in excinfo.value.problems if problem.template == template]
    assert matching, f"expected {template!r} among {templates(excinfo)}"
    return matching[0]


def competence_entry(document, code):
    for domain in document["domains"]:
        for item in domain["competences"]:
            if item["code"] == code:
                return item
    raise KeyError(code)


# -- the shipped data -------------------------------------------------------------------------

@pytest.mark.parametrize("framework_id, domains, competence_count, levels, tiers", [
    (CIRCULAR, 6, 24, 8, 4),
    (DIGCOMP, 5, 21, 8, 4),
])
def test_counts(framework_id, domains, competence_count, levels, tiers):
    framework = get_competence_framework(framework_id)
    assert (len(framework.domains), len(framework.competences), len(framework.levels), len(framework.tiers)) == (
        domains, competence_count, levels, tiers)
    assert framework.max_level == levels
    assert sum(len(domain.competences) for domain in framework.domains) == competence_count


def test_codes_are_those_of_the_frameworks():
    assert [c.code for c in get_competence_framework(CIRCULAR).competences] == CIRCULAR_CODES
    assert [c.code for c in get_competence_framework(DIGCOMP).competences] == DIGCOMP_CODES
    assert [d.code for d in get_competence_framework(CIRCULAR).domains] == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.parametrize("framework_id", [CIRCULAR, DIGCOMP])
def test_every_title_is_in_vietnamese_and_english(framework_id):
    framework = get_competence_framework(framework_id)
    titled = [framework, *framework.domains, *framework.competences, *framework.tiers]
    for item in titled:
        assert item.title["vi"].strip() and item.title["en"].strip(), item
    assert framework.sources and framework.unconfirmed


@pytest.mark.parametrize("framework_id, expected", [
    (CIRCULAR, {1: "Cơ bản", 2: "Cơ bản", 3: "Trung cấp", 4: "Trung cấp",
                5: "Nâng cao", 6: "Nâng cao", 7: "Chuyên sâu", 8: "Chuyên sâu"}),
    (DIGCOMP, {1: "Foundation", 2: "Foundation", 3: "Intermediate", 4: "Intermediate",
               5: "Advanced", 6: "Advanced", 7: "Highly specialised", 8: "Highly specialised"}),
])
def test_tier_of_every_level(framework_id, expected):
    framework = get_competence_framework(framework_id)
    language = "vi" if framework_id == CIRCULAR else "en"
    assert {n: framework.tier_of_level(n).title[language] for n in range(1, 9)} == expected
    assert framework.tier_of_level(0) is None
    assert framework.tier_of_level(9) is None


def test_circular_tiers_in_english():
    framework = get_competence_framework(CIRCULAR)
    assert [(t.code, t.title["en"], t.levels) for t in framework.tiers] == [
        ("basic", "Basic", (1, 2)), ("intermediate", "Intermediate", (3, 4)),
        ("advanced", "Advanced", (5, 6)), ("specialised", "Specialised", (7, 8)),
    ]


def test_lookups():
    framework = get_competence_framework(CIRCULAR)
    assert framework.competence("4.2").domain == "4"
    assert framework.domain_of("4.2").code == "4"
    assert framework.domain_of("6.3").title["en"] == "Artificial intelligence"
    assert [c.code for c in framework.domain("2").competences] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert framework.competence("7.1") is None
    assert framework.domain_of("7.1") is None
    assert framework.domain_of("4") is None  # a domain code is not a competence code
    assert framework.level(8).number == 8 and framework.level(9) is None
    assert framework.tier("advanced").levels == (5, 6)


def test_frameworks_are_keyed_by_id_and_version():
    assert (CIRCULAR, "1.0.0") in available_competence_frameworks()
    assert get_competence_framework(CIRCULAR, "1.0.0") is available_competence_frameworks()[(CIRCULAR, "1.0.0")]


def test_unknown_framework():
    with pytest.raises(InvalidInput) as excinfo:
        get_competence_framework("digcomp-9")
    assert problem_with(excinfo, "unknown competence framework {framework}").params == {"framework": "digcomp-9"}


def test_unknown_version():
    with pytest.raises(InvalidInput) as excinfo:
        get_competence_framework(CIRCULAR, "9.9.9")
    assert str(excinfo.value) == "competence_framework: unknown competence framework circular-02-2025 9.9.9"


def test_newest_version_wins(monkeypatch):
    base = get_competence_framework(CIRCULAR)
    document = circular_document()
    document["version"] = "1.10.0"
    newer = CompetenceFramework.from_document(document)
    document["version"] = "1.9.0"
    older = CompetenceFramework.from_document(document)
    monkeypatch.setattr(competences, "available_competence_frameworks", lambda: {
        (CIRCULAR, "1.0.0"): base, (CIRCULAR, "1.10.0"): newer, (CIRCULAR, "1.9.0"): older})
    assert get_competence_framework(CIRCULAR).version == "1.10.0"
    assert get_competence_framework(CIRCULAR, "1.9.0").version == "1.9.0"


# -- the crosswalk ----------------------------------------------------------------------------

def test_circular_maps_one_to_one_onto_digcomp_except_ai():
    walk = crosswalk(CIRCULAR, DIGCOMP)
    assert (walk.from_framework, walk.to_framework) == ((CIRCULAR, "1.0.0"), (DIGCOMP, "1.0.0"))
    for code in DIGCOMP_CODES:
        assert walk.forward(code) == (code,)
        assert walk.unmapped_reason(code) is None
        assert [link.relation for link in walk.links_from(code)] == ["exact"]
    for code in AI_CODES:
        assert walk.forward(code) == ()
        assert walk.unmapped_reason(code)["en"] and walk.unmapped_reason(code)["vi"]
    assert set(walk.unmapped_from) == set(AI_CODES)
    assert walk.unmapped_to == {}
    assert walk.as_mapping() == {**{code: (code,) for code in DIGCOMP_CODES}, **{code: () for code in AI_CODES}}


def test_crosswalk_reads_both_ways():
    there, back = crosswalk(CIRCULAR, DIGCOMP), crosswalk(DIGCOMP, CIRCULAR)
    assert (back.from_framework, back.to_framework) == (there.to_framework, there.from_framework)
    for code in DIGCOMP_CODES:
        assert back.forward(code) == (code,) == there.backward(code)
        assert back.backward(code) == (code,)
    for code in AI_CODES:
        assert back.backward(code) == ()
    assert back.unmapped_to == there.unmapped_from
    assert back.reversed() == there


def test_crosswalk_levels():
    walk = crosswalk(DIGCOMP, CIRCULAR)
    assert [walk.forward_level(n) for n in range(1, 9)] == [(n,) for n in range(1, 9)]
    assert walk.backward_level(7) == (7,)
    assert walk.forward_level(9) == ()


def test_relations_invert_when_reversed():
    document = crosswalk_document()
    document["links"][0]["relation"] = "broader"
    walk = Crosswalk.from_document(document, available_competence_frameworks())
    assert walk.links[0].relation == "broader"
    assert walk.reversed().links[0].relation == "narrower"


def test_crosswalk_refuses_codes_it_does_not_know():
    walk = crosswalk(CIRCULAR, DIGCOMP)
    with pytest.raises(InvalidInput) as excinfo:
        walk.forward("9.9")
    assert problem_with(excinfo, "competence {code} is not in {framework} {version}").params == {
        "code": "9.9", "framework": CIRCULAR, "version": "1.0.0"}
    with pytest.raises(InvalidInput):
        walk.backward("6.1")  # 6.1 is a Circular code, not a DigComp one


def test_no_crosswalk():
    with pytest.raises(InvalidInput) as excinfo:
        crosswalk(CIRCULAR, "digcomp-9")
    assert str(excinfo.value) == "crosswalk: no crosswalk from circular-02-2025 to digcomp-9"
    with pytest.raises(InvalidInput):
        crosswalk(CIRCULAR, DIGCOMP, to_version="9.9.9")


def test_every_shipped_file_loads():
    assert set(available_crosswalks()) == {("circular-02-2025--digcomp-2.2", "1.0.0")}
    assert set(available_competence_frameworks()) == {(CIRCULAR, "1.0.0"), (DIGCOMP, "1.0.0")}


def test_python_has_no_competence_codes():
    """Codes, levels and tiers are data: no string in the modules' code (docstrings aside) spells one."""
    strings = []
    for module in (competences, crosswalks):
        tree = ast.parse(Path(module.__file__).read_text("utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        strings += [node.value for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
    assert strings
    for text in strings:
        assert not re.fullmatch(r"\d+(\.\d+)*", text), text
        for word in ("digcomp", "circular", "foundation", "specialised", "basic"):
            assert word not in text.lower(), text


# -- load-time consistency checks: each broken document gives its own problem ---------------

def framework_problem(document, template):
    with pytest.raises(InvalidInput) as excinfo:
        CompetenceFramework.from_document(document)
    return problem_with(excinfo, template)


def test_duplicate_competence_code():
    document = circular_document()
    competence_entry(document, "1.2")["code"] = "1.1"
    problem = framework_problem(document, "competence code {code} appears more than once")
    assert problem.params == {"code": "1.1"}
    assert problem.where.startswith(CIRCULAR)


def test_duplicate_domain_code():
    document = circular_document()
    document["domains"][5]["code"] = "5"
    for item in document["domains"][5]["competences"]:
        item["code"] = "5." + item["code"].split(".")[1] + "0"
    assert framework_problem(document, "domain code {code} appears more than once").params == {"code": "5"}


@pytest.mark.parametrize("bad_code", ["7.1", "61", "16.1"])
def test_competence_code_outside_its_domain(bad_code):
    document = circular_document()
    competence_entry(document, "6.1")["code"] = bad_code
    problem = framework_problem(
        document, "competence code {code} does not start with its domain code {domain} followed by a dot")
    assert problem.params == {"code": bad_code, "domain": "6"}
    assert problem.where == f"{CIRCULAR} $.domains[5].competences[0]"


def test_levels_with_a_gap():
    document = circular_document()
    document["levels"] = [item for item in document["levels"] if item["level"] != 8]
    document["levels"][-1]["level"] = 9  # 1..6, 9
    document["tiers"][3]["levels"] = [7, 9]
    problem = framework_problem(document, "levels must be numbered 1 to {count} without gaps; found {levels}")
    assert problem.params == {"count": 7, "levels": "1, 2, 3, 4, 5, 6, 9"}


def test_levels_not_starting_at_one():
    document = circular_document()
    for item in document["levels"]:
        item["level"] += 1
    for tier in document["tiers"]:
        tier["levels"] = [n + 1 for n in tier["levels"]]
    framework_problem(document, "levels must be numbered 1 to {count} without gaps; found {levels}")


def test_duplicate_level():
    document = circular_document()
    document["levels"].append({"level": 8})
    assert framework_problem(document, "level {level} appears more than once").params == {"level": 8}


def test_tier_covering_an_unknown_level():
    document = circular_document()
    document["tiers"][3]["levels"] = [7, 8, 9]
    problem = framework_problem(document, "tier {tier} covers level {level}, which is not a level of this framework")
    assert problem.params == {"tier": "specialised", "level": 9}


def test_level_in_no_tier():
    document = circular_document()
    document["tiers"][3]["levels"] = [7]
    assert framework_problem(document, "level {level} is in no tier").params == {"level": 8}


def test_level_in_two_tiers():
    document = circular_document()
    document["tiers"][2]["levels"] = [5, 6, 7]
    problem = framework_problem(document, "level {level} is in more than one tier: {tiers}")
    assert problem.params == {"level": 7, "tiers": "advanced, specialised"}


def test_duplicate_tier_code():
    document = circular_document()
    document["tiers"][3]["code"] = "advanced"
    assert framework_problem(document, "tier code {code} appears more than once").params == {"code": "advanced"}


def test_all_problems_are_reported_together():
    document = circular_document()
    competence_entry(document, "1.2")["code"] = "1.1"
    document["tiers"][3]["levels"] = [7, 8, 9]
    with pytest.raises(InvalidInput) as excinfo:
        CompetenceFramework.from_document(document)
    assert len(excinfo.value.problems) == 2


def crosswalk_problem(document, template, frameworks=None):
    with pytest.raises(InvalidInput) as excinfo:
        Crosswalk.from_document(document, available_competence_frameworks() if frameworks is None else frameworks)
    return problem_with(excinfo, template)


def test_crosswalk_from_code_missing_from_its_framework():
    document = crosswalk_document()
    document["links"][0]["from"] = "7.1"
    problem = crosswalk_problem(document, "competence {code} is not in {framework} {version}")
    assert problem.params == {"code": "7.1", "framework": CIRCULAR, "version": "1.0.0"}
    assert problem.where == "circular-02-2025--digcomp-2.2 $.links[0].from"


def test_crosswalk_to_code_missing_from_its_framework():
    document = crosswalk_document()
    document["links"].append({"from": "6.1", "to": "6.1", "relation": "related"})
    document["unmapped"]["from"] = document["unmapped"]["from"][1:]
    problem = crosswalk_problem(document, "competence {code} is not in {framework} {version}")
    assert problem.params == {"code": "6.1", "framework": DIGCOMP, "version": "1.0.0"}


def test_crosswalk_unmapped_code_missing_from_its_framework():
    document = crosswalk_document()
    document["unmapped"]["to"].append({"code": "6.1", "reason": {"vi": "Không có.", "en": "None."}})
    problem = crosswalk_problem(document, "competence {code} is not in {framework} {version}")
    assert problem.where.endswith("$.unmapped.to[0]")


def test_crosswalk_naming_an_unavailable_framework():
    document = crosswalk_document()
    document["to"]["version"] = "2.0.0"
    problem = crosswalk_problem(
        document, "crosswalk names competence framework {framework} {version}, which is not available")
    assert problem.params == {"framework": DIGCOMP, "version": "2.0.0"}


def test_crosswalk_must_cover_every_competence():
    document = crosswalk_document()
    document["unmapped"]["from"] = [item for item in document["unmapped"]["from"] if item["code"] != "6.2"]
    problem = crosswalk_problem(
        document, "competence {code} of {framework} {version} is neither linked nor listed as unmapped")
    assert problem.params == {"code": "6.2", "framework": CIRCULAR, "version": "1.0.0"}


def test_crosswalk_code_both_linked_and_unmapped():
    document = crosswalk_document()
    document["unmapped"]["to"].append({"code": "5.4", "reason": {"vi": "Thử.", "en": "Test."}})
    problem = crosswalk_problem(document, "competence {code} of {framework} is both linked and listed as unmapped")
    assert problem.params == {"code": "5.4", "framework": DIGCOMP}


def test_crosswalk_duplicate_link():
    document = crosswalk_document()
    document["links"].append(dict(document["links"][3]))
    problem = crosswalk_problem(document, "the link {source} -> {target} appears more than once")
    assert problem.params == {"source": "2.1", "target": "2.1"}


def test_crosswalk_duplicate_unmapped():
    document = crosswalk_document()
    document["unmapped"]["from"].append(copy.deepcopy(document["unmapped"]["from"][0]))
    crosswalk_problem(document, "competence {code} is listed as unmapped more than once")


def test_crosswalk_unknown_level():
    document = crosswalk_document()
    document["levels"].append({"from": 9, "to": 8})
    problem = crosswalk_problem(document, "level {level} is not a level of {framework} {version}")
    assert problem.params == {"level": 9, "framework": CIRCULAR, "version": "1.0.0"}


def test_crosswalk_joining_a_framework_with_itself():
    document = crosswalk_document()
    document["to"] = dict(document["from"])
    crosswalk_problem(document, "a crosswalk must join two different frameworks, not {framework} with itself")


# -- the schemas ------------------------------------------------------------------------------

def test_schema_rejects_a_title_without_english():
    document = circular_document()
    del competence_entry(document, "3.3")["title"]["en"]
    with pytest.raises(InvalidInput) as excinfo:
        validate("competence-framework", document)
    problem = problem_with(excinfo, "does not match the schema: {detail}")
    assert problem.params == {"detail": "'en' is a required property"}
    assert problem.where == "$.domains[2].competences[2].title"
    # from_document checks the schema first, so the consistency checks never see a malformed file
    with pytest.raises(InvalidInput) as excinfo:
        CompetenceFramework.from_document(document)
    assert problem_with(excinfo, "does not match the schema: {detail}").where == (
        f"{CIRCULAR} $.domains[2].competences[2].title")


@pytest.mark.parametrize("break_it", [
    lambda d: d.pop("tiers"),
    lambda d: d["levels"].append({"level": 0}),
    lambda d: d["tiers"][0].update(levels=[]),
    lambda d: d["domains"][0].update(competences=[]),
    lambda d: d["domains"][0]["competences"][0].update(code="1..1"),
    lambda d: d.update(version="1.0"),
    lambda d: d.update(extra=True),
])
def test_schema_rejects_malformed_frameworks(break_it):
    document = circular_document()
    break_it(document)
    with pytest.raises(InvalidInput) as excinfo:
        CompetenceFramework.from_document(document)
    assert set(templates(excinfo)) == {"does not match the schema: {detail}"}


@pytest.mark.parametrize("break_it", [
    lambda d: d.pop("unmapped"),
    lambda d: d["unmapped"]["from"][0].pop("reason"),
    lambda d: d["links"][0].update(relation="same"),
    lambda d: d["from"].pop("version"),
    lambda d: d["title"].pop("vi"),
])
def test_schema_rejects_malformed_crosswalks(break_it):
    document = crosswalk_document()
    break_it(document)
    with pytest.raises(InvalidInput) as excinfo:
        Crosswalk.from_document(document, available_competence_frameworks())
    assert set(templates(excinfo)) == {"does not match the schema: {detail}"}
