"""
The `learning-citizen` command under odd arguments (hypothesis): every subcommand with a bad id,
period, file, choice, option or a NUL byte exits non-zero with a one-line-per-problem message in
the shell's language (no traceback), and nothing is written.
"""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.commands import run
from xblocks.ledger.models import Entry
from xblocks.reports.models import Member

pytestmark = [pytest.mark.database, pytest.mark.django_db]

ODD_TEXT = (st.text(max_size=30) | st.sampled_from(["", "-1", "0", "9" * 30, "1e999", "NaN", "2026-W05", "٢٠٢٦", "2026\x00",
                                                     "../../etc/passwd", "😀", "--", "-x"]))
BAD_ID = st.sampled_from(["abc", "-5", "0", "9" * 25, "1.5", "١", "", "2e3", "0x10"]) | st.text(
    alphabet=st.characters(blacklist_categories=("Nd",)), min_size=1, max_size=10)
BAD_PERIOD = ODD_TEXT.filter(lambda text: not (len(text) == 4 and text.isascii() and text.isdigit()))
MISSING_FILE = st.text(alphabet="abcxyz_", min_size=1, max_size=12).map(lambda name: f"/nonexistent-{name}/file")


def _leading_dash(text):
    return text.startswith("-")


@st.composite
def odd_invocation(draw):
    """An argv no subcommand can carry out."""
    action = draw(st.sampled_from(["standing", "issue-credential", "reverse", "export", "report", "ingest", "verify",
                                   "verify-credential", "import-members", "anchor", "nosuch", "unknown-option", "nul"]))
    period, learner = draw(BAD_PERIOD), draw(BAD_ID)
    if action in ("standing", "issue-credential"):
        return [action, "--learner", learner, "--period", "2026"] if draw(st.booleans()) else [action, "--learner", "1", "--period", period]
    if action == "reverse":
        return ["reverse", learner, "--reason", draw(ODD_TEXT)]
    if action == "export":
        return ["export", "--period", period] if draw(st.booleans()) else ["export", "--format", draw(ODD_TEXT.filter(
            lambda text: text not in ("csv", "jsonl", "xapi", "ob3")))]
    if action == "report":
        return ["report", "--period", period] if draw(st.booleans()) else ["report", "--period", "2026", "--area", draw(
            ODD_TEXT.filter(lambda text: text != "all"))]
    if action in ("ingest", "verify-credential", "import-members"):
        return [action, draw(MISSING_FILE)]
    if action == "verify":
        return ["verify", "--checkpoint", draw(MISSING_FILE)]
    if action == "anchor":
        return ["anchor", "-o", draw(MISSING_FILE)]
    if action == "nosuch":
        return [draw(ODD_TEXT.filter(lambda text: text not in ACTIONS and not _leading_dash(text)))]
    if action == "unknown-option":
        return ["standing", "--learner", "1", "--period", "2026", "--" + draw(st.text(alphabet="abcdefgh", min_size=1, max_size=8))]
    return ["export", "--course", "course-v1:x+" + draw(ODD_TEXT) + "\x00"]


ACTIONS = {"demo", "ingest", "standing", "verify", "anchor", "verify-credential", "reverse", "issue-credential", "export",
           "import-members", "report"}


def written():
    return Entry.objects.count(), Member.objects.count()


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argv=odd_invocation(), language=st.sampled_from(["C.UTF-8", "vi_VN.UTF-8"]))
def test_odd_arguments_exit_non_zero_with_a_message_and_write_nothing(monkeypatch, argv, language):
    monkeypatch.setenv("LEARNING_CITIZEN_LANGUAGE", "vi" if language.startswith("vi") else "en")
    before = written()
    code, out, err = run(*argv)
    assert code not in (0, None), (argv, out[:200])
    assert err.startswith("learning-citizen: ") or "NOT valid" in err or "không hợp lệ" in err, (argv, err[:300])
    assert "Traceback" not in err
    assert written() == before


@pytest.mark.parametrize("argv, english, vietnamese", [
    (["standing", "--learner", "9" * 25, "--period", "2026"], "is not a whole number from 1 to", "không phải là số nguyên từ 1 đến"),
    (["export", "--period", "2026-W05"], "is not a calendar year such as 2026", None),
    (["nosuch"], "the arguments were not understood (argument ACTION: invalid choice", "không hiểu các đối số"),
    (["export", "--course", "a\x00b"], "An argument holds the NUL character; nothing was done.",
     "Một đối số chứa ký tự NUL; không có gì được thực hiện."),
])
def test_each_refusal_reads_in_both_languages(monkeypatch, argv, english, vietnamese):
    monkeypatch.setenv("LEARNING_CITIZEN_LANGUAGE", "en")
    code, _out, err = run(*argv)
    assert code != 0 and english in err
    if vietnamese:
        monkeypatch.setenv("LEARNING_CITIZEN_LANGUAGE", "vi")
        code, _out, err = run(*argv)
        assert code != 0 and vietnamese in err
