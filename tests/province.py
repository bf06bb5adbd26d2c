"""
A province's variant of the Learning Citizen criteria, as an operator would write it: not shipped,
loaded from a directory. It differs from the shipped framework (fixtures/frameworks) in every
part of the rule: 8 indicators with their own codes instead of 10, 15 or 10 points each instead
of 10, 70 points to be recognised instead of 80, at least 6 in each indicator instead of 5, and
its own population groups.
"""
import copy
import json

FRAMEWORK_ID = "learning-citizen-2021-2030"      # the title's id: the variant replaces its rule on this site
VERSION = "2.0.0"


def _indicator(code, max_points, en, vi, **extra):
    return {"code": code, "max_points": max_points, "title": {"vi": vi, "en": en}, **extra}


VARIANT = {
    "id": FRAMEWORK_ID,
    "version": VERSION,
    "title": {"vi": "Công dân học tập (tỉnh thử nghiệm)", "en": "Learning Citizen (test province)"},
    "period": {"kind": "calendar-year"},
    "groups": [
        {"code": "A", "title": {"vi": "Tự học", "en": "Self-learning"}, "indicators": [
            _indicator("HN1", 15, "Reads", "Đọc sách"),
            _indicator("HN2", 15, "Learning plan", "Kế hoạch học tập"),
            _indicator("HN3", 15, "Learning activities", "Hoạt động học tập"),
            _indicator("HN4", 15, "Encourages others", "Khuyến học"),
        ]},
        {"code": "B", "title": {"vi": "Công cụ", "en": "Tools"}, "indicators": [
            _indicator("HN5", 10, "Digital skills", "Kỹ năng số", tags=["digital-skills"]),
            _indicator("HN6", 10, "Foreign language", "Ngoại ngữ"),
            _indicator("HN7", 10, "Numeracy", "Tính toán"),
            _indicator("HN8", 10, "Cooperation", "Hợp tác"),
        ]},
    ],
    "recognition": {"min_total": 70, "min_per_indicator": 6},
    "population_groups": [
        {"code": "rural", "title": {"vi": "Cư dân nông thôn", "en": "Rural residents"}},
        {"code": "urban", "title": {"vi": "Cư dân đô thị", "en": "Urban residents"}},
    ],
}
CODES = [indicator["code"] for group in VARIANT["groups"] for indicator in group["indicators"]]


def variant(**changes):
    """A copy of the variant with top-level keys replaced."""
    return {**copy.deepcopy(VARIANT), **copy.deepcopy(changes)}


def write(directory, document=None, name="province.json"):
    """Write a framework file (the variant unless ``document`` is given; text is written as is)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    document = VARIANT if document is None else document
    path.write_text(document if isinstance(document, str) else json.dumps(document, ensure_ascii=False), "utf-8")
    return path
