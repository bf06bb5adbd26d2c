"""
Double of ``lms.djangoapps.grades.api`` (its ``CourseGradeFactory``), with the ``ProblemScore``
of ``xmodule.graders`` its grades hold, for ``xblocks.compat.problem_scores``.

Contract read in ``lms/djangoapps/grades/api.py`` and ``course_grade_factory.py`` and
``xmodule/graders.py`` (openedx/openedx-platform e57a655; ``api.py`` also at openedx/edx-platform
01a74cf) and ``course_grade.py`` (openedx/edx-platform, the only stored copy); the pinned release
commits are not stored, these are the nearest copies:

- ``CourseGradeFactory().read(user, course=None, collected_block_structure=None,
  course_structure=None, course_key=None, create_if_needed=True)`` returns the learner's course
  grade (a zero grade when none is stored);
- ``course_grade.problem_scores``: a dict of usage key -> ``ProblemScore`` for the scored blocks
  this learner is given;
- ``ProblemScore(raw_earned, raw_possible, weighted_earned, weighted_possible, weight, graded,
  first_attempted)`` keeps ``earned`` / ``possible`` as the *weighted* values, floats or None.
"""


class ProblemScore:  # pylint: disable=too-few-public-methods
    """Stands for ``xmodule.graders.ProblemScore``: same arguments, same attributes."""

    def __init__(self, raw_earned, raw_possible, weighted_earned, weighted_possible, weight, graded, first_attempted):  # pylint: disable=too-many-arguments
        self.raw_earned = float(raw_earned) if raw_earned is not None else None
        self.raw_possible = float(raw_possible) if raw_possible is not None else None
        self.earned = float(weighted_earned) if weighted_earned is not None else None
        self.possible = float(weighted_possible) if weighted_possible is not None else None
        self.weight = weight
        self.graded = graded
        self.first_attempted = first_attempted


class CourseGrade:  # pylint: disable=too-few-public-methods
    def __init__(self, problem_scores):
        self.problem_scores = problem_scores


def grades_module(grades):
    """
    ``grades``: {(user id, course key): {usage key: ProblemScore}}. A learner with nothing stored
    gets a zero grade with no scores. Returns (module names, the list of ``read`` calls).
    """
    reads = []

    class CourseGradeFactory:
        def read(self, user, course=None, collected_block_structure=None, course_structure=None,  # pylint: disable=too-many-arguments
                 course_key=None, create_if_needed=True):
            reads.append({"user": user, "course": course, "collected_block_structure": collected_block_structure,
                          "course_structure": course_structure, "course_key": course_key,
                          "create_if_needed": create_if_needed})
            # "At least one of course, collected_block_structure, course_structure, or course_key"
            assert any(value is not None for value in (course, collected_block_structure, course_structure, course_key))
            return CourseGrade(dict(grades.get((user.id, course_key), {})))

    return {"lms.djangoapps.grades.api": {"CourseGradeFactory": CourseGradeFactory}}, reads


__all__ = ["CourseGrade", "ProblemScore", "grades_module"]
