"""The one rule for which text of a multilingual title a reader sees."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xblocks.criteria.language import base_language, localised

BOTH = {"vi": "Công dân học tập", "en": "Learning citizen"}


@pytest.mark.parametrize("code, expected", [
    ("vi", "vi"), ("vi-VN", "vi"), ("vi_VN", "vi"), ("VI", "vi"), ("en-us", "en"), ("en_GB", "en"), (" en ", "en"),
    ("fr", "fr"), ("zh-hans-cn", "zh"), (None, "vi"), ("", "vi"), ("-", "vi"),
])
def test_base_language_is_the_primary_subtag_and_vietnamese_when_there_is_none(code, expected):
    assert base_language(code) == expected


@pytest.mark.parametrize("language, expected", [
    ("vi", "Công dân học tập"), ("vi-VN", "Công dân học tập"), ("vi_vn", "Công dân học tập"),
    ("en", "Learning citizen"), ("en-us", "Learning citizen"), ("EN-GB", "Learning citizen"),
])
def test_a_reader_sees_their_own_language_whatever_the_region(language, expected):
    assert localised(BOTH, language) == expected


@pytest.mark.parametrize("language", ["fr", "zh-hans", None, ""])
def test_an_unshipped_or_unknown_language_falls_back_to_vietnamese_first(language):
    assert localised(BOTH, language) == "Công dân học tập"


def test_a_missing_language_falls_back_to_the_other_shipped_one():
    assert localised({"vi": "Chỉ tiếng Việt"}, "en") == "Chỉ tiếng Việt"
    assert localised({"en": "English only"}, "vi") == "English only"
    assert localised({"en": "English only"}, "fr") == "English only"


def test_an_empty_text_counts_as_missing():
    assert localised({"vi": "", "en": "Learning citizen"}, "vi") == "Learning citizen"
    assert localised({"en": "", "vi": "Công dân học tập"}, "en") == "Công dân học tập"


def test_any_other_language_is_the_last_resort_in_the_data_order():
    assert localised({"fr": "", "de": "Lernbürger", "es": "Ciudadano"}, "en") == "Lernbürger"
    assert localised({"fr": "Citoyen", "vi": "", "en": ""}, "vi") == "Citoyen"


@pytest.mark.parametrize("texts", [None, "", {}, {"vi": "", "en": ""}, {"vi": None}])
def test_no_text_at_all_is_an_empty_string(texts):
    assert localised(texts, "vi") == ""


def test_a_plain_string_is_the_same_in_every_language():
    assert localised("Learning citizen", "vi") == "Learning citizen"
    assert localised("Learning citizen", None) == "Learning citizen"


LANGUAGE_CODES = st.one_of(
    st.none(),
    st.sampled_from(["vi", "en", "fr", "vi-VN", "en-us", "EN_gb", "", "zh-Hans-CN"]),
    st.text(max_size=8),
)
TEXTS = st.dictionaries(st.sampled_from(["vi", "en", "fr", "de"]), st.text(max_size=5), max_size=4)


@given(TEXTS, LANGUAGE_CODES)
def test_never_an_empty_string_while_any_text_exists(texts, language):
    chosen = localised(texts, language)
    assert chosen in texts.values() or chosen == ""
    assert bool(chosen) == any(texts.values())


@given(TEXTS, LANGUAGE_CODES)
def test_the_readers_own_text_wins_whenever_it_exists(texts, language):
    own = texts.get(base_language(language))
    if own:
        assert localised(texts, language) == own


@given(TEXTS, st.sampled_from(["vi", "vi-VN", "en", "en-US"]), st.sampled_from(["-", "_"]))
def test_region_subtags_and_separators_do_not_change_the_choice(texts, code, separator):
    primary = code.split("-")[0]
    assert localised(texts, code.replace("-", separator)) == localised(texts, primary)
