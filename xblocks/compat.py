"""
The one module that reaches into edx-platform.

Every platform import happens lazily inside a function, and every function answers ``None``
(or a documented fallback) when the platform is not there, so the suite imports, runs in the
XBlock SDK workbench and tests with no LMS present. Code elsewhere calls these functions and
never imports ``lms``, ``common``, ``openedx`` or ``xmodule`` itself.

What needs a live LMS to exercise (the workbench cannot) is marked ``pragma: no cover``; the
platform paths were read from openedx-platform (2025-2026) and are the part of the suite most
likely to move with platform releases.
"""
import hashlib
import logging

log = logging.getLogger(__name__)


def _platform_import(importer):
    """Run ``importer`` (a function doing a platform import); None when not inside the platform."""
    try:
        return importer()
    except ImportError:
        return None


def modulestore():
    """
    The platform's modulestore, or None outside the LMS/Studio.

    Platform contract (``xmodule/modulestore/django.py``, read in openedx/edx-platform at 16397a1
    and the same in openedx/openedx-platform): ``modulestore()`` takes no arguments and returns the
    process-wide ``MixedModuleStore`` (wrapped for CCX courses when that feature is on).
    """
    def importer():
        from xmodule.modulestore.django import modulestore as platform_modulestore  # pylint: disable=import-error,import-outside-toplevel
        return platform_modulestore()
    return _platform_import(importer)


def authored_block(usage_key):
    """
    The block ``usage_key`` names, loaded from the modulestore without any learner's state.

    Inside the LMS, walking a course through the learner-bound runtime would load every block
    with its learner state; the modulestore copy is the cheap way to read the structure.
    Returns None outside the platform (callers then walk the XBlock runtime instead), and None
    when the store cannot load it (logged).

    Platform contract (``xmodule/modulestore/mixed.py``, openedx/openedx-platform e57a655):
    ``MixedModuleStore.get_item(usage_key, depth=0, **kwargs)`` needs a ``UsageKey`` object (it
    reads ``usage_key.course_key`` to pick the store), ``depth=None`` loads the whole subtree, and
    a missing block raises ``ItemNotFoundError``. A key given as a string is parsed first.
    """
    store = modulestore()
    if store is None:
        return None
    try:
        if isinstance(usage_key, str):
            from opaque_keys.edx.keys import UsageKey  # pylint: disable=import-outside-toplevel
            usage_key = UsageKey.from_string(usage_key)
        return store.get_item(usage_key, depth=None)
    except Exception:  # pylint: disable=broad-except  # ItemNotFoundError, a bad key, a store error
        log.warning("Cannot load %s from the modulestore", usage_key, exc_info=True)
        return None


def course_version(course_key):
    """
    The published version of the course ``course_key`` (a CourseKey) as a string, or None outside
    the platform (or when the course has none).

    The platform dates its own cached course structures the same way: the block-structure store
    reads ``course_version`` (the split modulestore's structure id, new on every publish) and
    ``subtree_edited_on`` off the course block (``openedx/core/djangoapps/content/block_structure/
    store.py``, ``_version_data_of_block``), loaded with ``modulestore().get_course(course_key,
    depth=0)``: a cheap read, unlike building the course's blocks. Read at edx-platform
    03fc35a4 (Ulmo line, the index's copy) and openedx-platform e57a655d (Verawood line).
    """
    store = modulestore()
    if store is None:
        return None
    try:
        course = store.get_course(course_key, depth=0)
    except Exception:  # pylint: disable=broad-except
        log.warning("Cannot read the version of %s", course_key, exc_info=True)
        return None
    version = getattr(course, "course_version", None) or getattr(course, "subtree_edited_on", None)
    return str(version) if version else None


def learner_course_blocks(user_id, course_key):
    """
    The course as the learner ``user_id`` is given it: the platform's per-learner block structure,
    or None outside the LMS (or for an unknown user, or a course it cannot build).

    ``lms.djangoapps.course_blocks.api.get_course_blocks(user, starting_block_usage_key,
    transformers=None, collected_block_structure=None, allow_start_dates_in_future=False,
    include_completion=False, include_has_scheduled_content=False)`` (the same signature at
    edx-platform fa43038e, Ulmo line, and openedx-platform e57a655d, Verawood line). With its
    default transformers it returns a ``BlockStructureBlockData`` holding exactly the blocks the
    learner can reach: item-bank (library) children not selected for them, blocks outside their
    cohort / content groups (``group_access``, split-test branches, which the split-test
    transformer turns into ``group_access`` at collect time) and staff-only blocks are removed.
    ``allow_start_dates_in_future=True`` keeps content that is not released yet: it is still
    the learner's to complete, so a credit cannot be earned before it is out.

    The structure is read with ``root_block_usage_key``, ``get_children(key)``,
    ``get_parents(key)``, ``key in structure`` and ``get_xblock_field(key, name, default)`` for
    fields the registered transformers collect: ``display_name`` (blocks API), ``has_score``
    (grades) and ``completion_mode`` (block completion); and ``get_transformer_block_field(key,
    "visibility", "merged_visible_to_staff_only", False)``, which staff, who keep staff-only
    blocks, need.
    """
    def importer():
        from lms.djangoapps.course_blocks.api import get_course_blocks  # pylint: disable=import-error,import-outside-toplevel
        return get_course_blocks
    try:
        get_course_blocks = _platform_import(importer)
    except Exception:  # pylint: disable=broad-except  # e.g. in Studio, where its apps may not all be installed
        log.warning("The course blocks API cannot be loaded here", exc_info=True)
        return None
    store = modulestore() if get_course_blocks is not None else None
    if store is None:
        return None
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    user = get_user_model().objects.filter(id=user_id).first()
    if user is None:
        return None
    try:
        return get_course_blocks(user, store.make_course_usage_key(course_key), allow_start_dates_in_future=True)
    except Exception:  # pylint: disable=broad-except
        log.warning("Cannot build the course blocks of %s for user %s", course_key, user_id, exc_info=True)
        return None


def get_user(user_id):
    """
    The platform's Django user with this id, or None (outside the LMS, no such user, or an id that
    is not a user id at all, such as a workbench name).

    The platform is recognised by ``common.djangoapps.student.models.UserProfile`` (defined in
    ``common/djangoapps/student/models/user.py`` and re-exported by the package's
    ``from .user import *``; openedx/openedx-platform 0b870c1, openedx/edx-platform a673c72); the
    user itself is Django's ``get_user_model()``, which the platform leaves as ``auth.User``.
    """
    def importer():
        from common.djangoapps.student.models import UserProfile  # pylint: disable=import-error,import-outside-toplevel,unused-import
        return True
    if not _platform_import(importer):
        return None
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    try:
        return get_user_model().objects.filter(id=user_id).first()
    except (TypeError, ValueError):  # not an integer id: no platform user has it
        return None


def learner_names(user_ids):
    """
    ``{user_id: the name people know the learner by}`` for the ids the site has users for: the
    platform profile's full name, else the username. Ids with no user are left out (the caller
    decides what to show then). One query for the users and, in the LMS, one for their profiles.

    Platform contract (``common/djangoapps/student/models/user.py``, openedx/openedx-platform
    0b870c1, the same model the ``user`` service reads ``full_name`` from):
    ``UserProfile`` is a model with ``user`` (a one-to-one to the Django user, so ``user_id``
    filters) and ``name`` (the full name, may be blank). Outside the LMS, Django's own first and
    last names stand for the full name.
    """
    ids = []
    for user_id in user_ids:
        try:
            ids.append(int(user_id))
        except (TypeError, ValueError):  # not a user id (a workbench name): no site user has it
            continue
    if not ids:
        return {}
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=ids)}

    def importer():
        from common.djangoapps.student.models import UserProfile  # pylint: disable=import-error,import-outside-toplevel
        return UserProfile
    profile_model = _platform_import(importer)
    if profile_model is not None:
        full_names = dict(profile_model.objects.filter(user_id__in=list(users)).values_list("user_id", "name"))
    else:
        full_names = {pk: user.get_full_name() for pk, user in users.items()}
    return {pk: (str(full_names.get(pk) or "").strip() or user.get_username()) for pk, user in users.items()}


def anonymous_id(user_id):
    """
    The learner's anonymous id as exports use it: one id per learner, not per course.

    Inside the LMS this is the platform's own ``anonymous_id_for_user(user, None)``, so it matches
    what other Open edX reports show. Outside it (workbench, tests), or for an id the LMS has no
    user for, it is a keyed hash of the id with this site's SECRET_KEY: stable, and it does not
    reveal the id.

    Platform contract (``common/djangoapps/student/models/user.py``, openedx/openedx-platform
    0b870c1; older versions also took an optional third ``save``): ``anonymous_id_for_user(
    user, course_id)`` takes a Django user and a course id or None (None: one id for the user
    across the site), returns None for an anonymous user and otherwise a 32-character hex string
    that it stores, so the same user always gets the same id.
    """
    def importer():
        from common.djangoapps.student.models import anonymous_id_for_user  # pylint: disable=import-error,import-outside-toplevel
        return anonymous_id_for_user
    platform_anonymous_id = _platform_import(importer)
    if platform_anonymous_id is not None:
        user = get_user(user_id)
        if user is not None:
            return platform_anonymous_id(user, None)
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|learner|{user_id}".encode("utf-8")).hexdigest()
    return digest[:32]


def problem_scores(user_id, course_key):
    """
    ``{usage key string: (earned, possible)}`` for every scored block of the course, weighted as
    the course grade weights them, from the platform's grades; None outside the LMS.

    Platform contract: ``lms.djangoapps.grades.api`` re-exports ``CourseGradeFactory`` from
    ``course_grade_factory.py`` (openedx/openedx-platform e57a655, also openedx/edx-platform
    01a74cf); ``CourseGradeFactory().read(user, course=None, collected_block_structure=None,
    course_structure=None, course_key=None, create_if_needed=True)`` returns the learner's
    ``CourseGrade`` (a zero grade when none is stored) whose ``problem_scores`` is a dict of usage
    key -> ``ProblemScore`` over the blocks this learner is given. ``ProblemScore.earned`` and
    ``.possible`` are the weighted scores as floats, or None when the block has no score yet
    (``xmodule/graders.py``, e57a655): no possible score means nothing to count, no earned
    score counts as 0.
    """
    def importer():
        from lms.djangoapps.grades.api import CourseGradeFactory  # pylint: disable=import-error,import-outside-toplevel
        return CourseGradeFactory
    factory = _platform_import(importer)
    if factory is None:
        return None
    user = get_user(user_id)
    if user is None:
        return {}
    course_grade = factory().read(user, course_key=course_key)
    return {
        str(location): (float(score.earned or 0.0), float(score.possible))
        for location, score in course_grade.problem_scores.items()
        if score.possible is not None
    }


def is_global_staff(user):
    """
    Whether ``user`` is global staff: the platform's GlobalStaff role inside the LMS, Django's
    ``is_staff`` outside it (the same flag the role reads today). Anonymous and inactive users
    never are, whatever their flag says.

    Platform contract (``common/djangoapps/student/roles.py``, openedx/openedx-platform c660747;
    the pinned release commits are not stored): ``GlobalStaff()`` takes no arguments and
    ``has_user(user)`` answers ``bool(user and user.is_staff)``, without looking at
    ``is_active``; hence the check above it.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False

    def importer():
        from common.djangoapps.student.roles import GlobalStaff  # pylint: disable=import-error,import-outside-toplevel
        return GlobalStaff
    global_staff = _platform_import(importer)
    if global_staff is not None:
        return bool(global_staff().has_user(user))
    return bool(user.is_staff)


# -- who is really asking, and who may see whom ------------------------------------------------------
#
# Read from the platform's source (openedx/edx-platform and openedx/openedx-platform; the pinned
# commits are not in the index used, the commits actually read are listed in docs/admin-guide.md,
# "Who may write and who may look"):
# - lms/djangoapps/courseware/block_render.py: a handler or a page view calls
#   ``setup_masquerade(request, course_key, staff_access)``; when staff view the course "as a specific
#   learner" it answers that learner's User, and the runtime's user service is built for that learner
#   (``user_id``/``username``/anonymous ids are the learner's, ``user_is_staff`` False and
#   ``user_role`` "student", because access checks honour the masquerade). The block cannot tell from
#   the user service alone; the request's own user (the staff member) carries ``masquerade_settings``.
# - lms/djangoapps/courseware/masquerade.py: ``is_masquerading_as_specific_student(user, course_key)``
#   answers from ``user.masquerade_settings`` (set on ``request.user`` by ``setup_masquerade``).
# - the LMS's MIDDLEWARE starts with ``crum.CurrentRequestUserMiddleware`` (lms/envs/common.py), so
#   ``crum.get_current_user()`` is the request's user, the real one.

def _request_user():
    """The user who sent the current request (django-crum, which the LMS and Studio install), or None."""
    def importer():
        from crum import get_current_user  # pylint: disable=import-error,import-outside-toplevel
        return get_current_user
    get_current_user = _platform_import(importer)
    user = get_current_user() if get_current_user is not None else None
    return user if getattr(user, "is_authenticated", False) else None


def viewing_as_another_learner(user_id, course_key):
    """
    Whether the runtime presents ``user_id`` to a block while someone else sent the request: staff
    "viewing the course as a specific learner" in the LMS. Such a view may read, never write.

    True when the request's own user is not ``user_id``, or when the platform says that user is
    masquerading as a specific learner in ``course_key``. False outside a request (tasks, commands)
    and outside the platform.
    """
    real = _request_user()
    if real is None:
        return False
    if user_id is not None and getattr(real, "id", None) != user_id:
        return True

    def importer():
        from lms.djangoapps.courseware.masquerade import is_masquerading_as_specific_student  # pylint: disable=import-error,import-outside-toplevel
        return is_masquerading_as_specific_student
    masquerading = _platform_import(importer)
    if masquerading is None or course_key is None:
        return False
    return bool(masquerading(real, course_key))


def is_enrolled(user_id, course_key):
    """
    Whether the user with ``user_id`` is enrolled (actively) in ``course_key``: the platform's
    ``CourseEnrollment.is_enrolled(user, course_key)`` (common/djangoapps/student/models, a classmethod
    taking a User and a CourseKey, the same in every version read). False when there is no such
    user; None outside the platform (the caller decides what enrolment means there).
    """
    def importer():
        from common.djangoapps.student.models import CourseEnrollment  # pylint: disable=import-error,import-outside-toplevel
        return CourseEnrollment
    enrollment = _platform_import(importer)
    if enrollment is None:
        return None
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    user = get_user_model().objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None or course_key is None:
        return False
    return bool(enrollment.is_enrolled(user, course_key))


# -- what learners call things, and where they are ---------------------------------------------------

def _key(text, key_class):
    from opaque_keys.edx.keys import CourseKey, UsageKey  # pylint: disable=import-outside-toplevel
    parse = {"course": CourseKey, "usage": UsageKey}[key_class]
    return parse.from_string(text) if isinstance(text, str) else text


def course_title(course_key):
    """
    The course's name as its learners see it (its ``display_name``), or None outside the platform,
    for a course the store does not hold, or a key that is not a course key.

    Platform contract (``xmodule/modulestore/mixed.py``, openedx/openedx-platform e57a655, the same
    in openedx/edx-platform 16397a1): ``get_course(course_key, depth=0, **kwargs)`` takes a
    ``CourseKey`` and returns the course block, or None when there is no such course; the block's
    ``display_name_with_default`` is what the LMS shows (its ``display_name``, else the course
    number).
    """
    store = modulestore()
    if store is None or not course_key:
        return None
    try:
        course = store.get_course(_key(course_key, "course"), depth=0)
    except Exception:  # pylint: disable=broad-except  # InvalidKeyError, a store error
        log.warning("Cannot read the title of course %s", course_key, exc_info=True)
        return None
    if course is None:
        return None
    return str(getattr(course, "display_name_with_default", None) or getattr(course, "display_name", "") or "") or None


def block_title(usage_key):
    """
    The block's name as learners see it (``display_name_with_default``, else ``display_name``), read
    from the modulestore without learner state (``get_item(usage_key, depth=0)``, contract in
    :func:`authored_block`); None outside the platform, for a block the store does not hold or a
    block with no name.
    """
    store = modulestore()
    if store is None or not usage_key:
        return None
    try:
        block = store.get_item(_key(usage_key, "usage"), depth=0)
    except Exception:  # pylint: disable=broad-except  # ItemNotFoundError, InvalidKeyError
        log.info("No title for %s in the modulestore", usage_key)
        return None
    return str(getattr(block, "display_name_with_default", None) or getattr(block, "display_name", "") or "") or None


def jump_to_url(course_key, usage_key=None):
    """
    The LMS's address that takes a learner to ``usage_key`` in ``course_key`` (to the course's
    start when ``usage_key`` is None: the course block itself), or None outside the platform.

    Platform contract (``lms/urls.py``, openedx/openedx-platform e57a655 and edx-platform
    16397a1): ``courses/<course_id>/jump_to/<location>`` (view ``jump_to``) redirects a learner
    to the unit holding ``location``, or to the course's home for the course block.
    """
    if modulestore() is None or not course_key:
        return None
    try:
        course = _key(course_key, "course")
        usage = _key(usage_key, "usage") if usage_key else course.make_usage_key("course", "course")
    except Exception:  # pylint: disable=broad-except  # InvalidKeyError: nothing to link to
        return None
    return f"/courses/{course}/jump_to/{usage}"


def may_edit_course(course_key):
    """
    Whether the request's own user may change ``course_key``'s content (Studio's write access), or
    None outside the platform (the caller decides who edits there).

    Platform contract (``common/djangoapps/student/auth.py``, read in openedx/edx-platform and
    openedx/openedx-platform): ``has_studio_write_access(user, course_key)`` answers whether the
    user may write the course in Studio (course staff/instructor roles, global staff). Studio
    checks it before it calls a block's handler; the LMS does not, hence the block asks.
    """
    def importer():
        from common.djangoapps.student.auth import has_studio_write_access  # pylint: disable=import-error,import-outside-toplevel
        return has_studio_write_access
    has_write_access = _platform_import(importer)
    if has_write_access is None:
        return None
    user = _request_user()
    if user is None or course_key is None:
        return False
    return bool(has_write_access(user, course_key))


__all__ = [
    "anonymous_id",
    "authored_block",
    "block_title",
    "course_title",
    "course_version",
    "get_user",
    "is_enrolled",
    "is_global_staff",
    "jump_to_url",
    "learner_course_blocks",
    "may_edit_course",
    "modulestore",
    "problem_scores",
    "viewing_as_another_learner",
]
