"""
What content a block counts, and how far a learner is through it, decided on the server.

The counted content is the completable leaves under the block's section (its ``chapter``
ancestor), under the whole course, or under an explicit list of blocks (named by ``url_name`` or
by usage key). Containers are walked, blocks whose completion mode is ``excluded`` and blocks
visible to staff only are skipped, and so are completion-credit blocks themselves: they summarise
content, and two of them counting each other would never complete.

In the LMS the walk is over the learner's own course (``compat.learner_course_blocks``): what
their cohort / content groups, split-test branch and item-bank selection give them, so every
learner can reach 100 %. That structure is costly to build, so the counted items are kept in
Django's cache per learner, block and course version: a render or an automatic check reads the
cache, and a publish (a new version) makes the next one walk again. Outside the platform
(workbench, tests without doubles) the runtime's own tree is walked, as authored.

Completion comes from the runtime's ``completion`` service (the platform's in the LMS, the
suite's own in the workbench); scores from the platform's grades through ``xblocks.compat`` in
the LMS, or from the workbench service. Nothing the browser says is trusted.
"""
import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from xblock.completable import XBlockCompletionMode

from xblocks import compat

from .config import BLOCKS, COURSE, block_names

log = logging.getLogger(__name__)

BLOCK_TYPE = "completion-credit"
SECTION_TYPE = "chapter"
VISIBILITY, STAFF_ONLY = "visibility", "merged_visible_to_staff_only"  # the platform's VisibilityTransformer data
CACHE_PREFIX = "completion-credit:counted:v1:"
# A learner's groups can change without a new course version (moved to another cohort): the
# entry expires, so such a change shows within the hour.
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class CountedItem:
    usage_id: object
    name: str
    display_name: str
    scored: bool


@dataclass
class Progress:
    items: list = field(default_factory=list)
    completed: frozenset = frozenset()
    tracking: bool = True
    score: tuple | None = None  # (earned, possible) over the counted scored items, when any were scored
    score_read: bool = False  # whether the grades were read (only when the score decides the credit)

    @property
    def total(self):
        return len(self.items)

    @property
    def done(self):
        return sum(1 for item in self.items if str(item.usage_id) in self.completed)

    @property
    def complete(self):
        return self.total > 0 and self.done == self.total

    @property
    def ratio(self):
        return self.done / self.total if self.total else 0.0

    @property
    def score_percent(self):
        if not self.score or not self.score[1]:
            return None
        return round(100.0 * self.score[0] / self.score[1], 1)

    def meets(self, min_score):
        """Whether the score condition holds (no minimum, or no graded item, counts as met)."""
        if not min_score:
            return True
        percent = self.score_percent
        return percent is None or percent >= min_score

    def remaining(self):
        return [item for item in self.items if str(item.usage_id) not in self.completed]


def block_name(block):
    """The name authors use for a block: its ``url_name`` (the usage key's block id in the LMS)."""
    name = getattr(block, "url_name", None)
    if not name:
        name = getattr(block.scope_ids.usage_id, "block_id", None)
    return str(name or block.scope_ids.usage_id)


def _structure_of(block):
    """The block as the structure walk should see it: the modulestore copy in the LMS, else itself."""
    return compat.authored_block(block.scope_ids.usage_id) or block


def _ancestors(node):
    parent = node.get_parent()
    while parent is not None:
        yield parent
        parent = parent.get_parent()


def scope_root(block, scope):
    """The container whose content is counted: the section, or the course (top-most ancestor)."""
    node = _structure_of(block)
    ancestors = list(_ancestors(node))
    if not ancestors:
        return None
    if scope == COURSE or scope == BLOCKS:
        return ancestors[-1]
    for ancestor in ancestors:
        if ancestor.scope_ids.block_type == SECTION_TYPE:
            return ancestor
    return ancestors[-1]  # not inside a section (a workbench scenario, a unit on its own): its whole tree


def _skipped(node):
    return (node.scope_ids.block_type == BLOCK_TYPE
            or XBlockCompletionMode.get_mode(node) == XBlockCompletionMode.EXCLUDED
            or getattr(node, "visible_to_staff_only", False))


def _leaves(node, found):
    if _skipped(node):
        return
    if getattr(node, "has_children", False):
        for child in node.get_children():
            _leaves(child, found)
        return
    key = str(node.scope_ids.usage_id)
    if key not in found:
        found[key] = CountedItem(node.scope_ids.usage_id, block_name(node),
                                 str(getattr(node, "display_name", "") or node.scope_ids.block_type),
                                 bool(getattr(node, "has_score", False)))


def _named(node, names, found_names):
    """Nodes under ``node`` (itself included) whose name or usage key is in ``names``."""
    matches = []
    keys = {block_name(node), str(node.scope_ids.usage_id)} & names
    if keys:
        found_names.update(keys)
        matches.append(node)
    for child in (node.get_children() if getattr(node, "has_children", False) else ()):
        matches += _named(child, names, found_names)
    return matches


def counted_items(block, scope, counted_blocks="", user_id=None):
    """
    ``(items, missing names)``: the completable leaves the block counts, in course order. With a
    learner (``user_id``) inside the LMS, the leaves of that learner's own course; otherwise
    (Studio's preview, the workbench) the leaves as authored.
    """
    if user_id is not None:
        own = learner_items(block, scope, counted_blocks, user_id)
        if own is not None:
            return own
    return authored_items(block, scope, counted_blocks)


def authored_items(block, scope, counted_blocks=""):
    """``(items, missing names)`` from the authored tree (the modulestore copy, or the runtime's)."""
    root = scope_root(block, scope)
    if root is None:
        return [], sorted(block_names(counted_blocks)) if scope == BLOCKS else []
    found = {}
    missing = []
    if scope == BLOCKS:
        names = set(block_names(counted_blocks))
        seen = set()
        for node in _named(root, names, seen):
            _leaves(node, found)
        missing = sorted(names - seen)
    else:
        _leaves(root, found)
    return list(found.values()), missing


# -- the learner's own course, in the LMS ------------------------------------------------------

def _course_key(block):
    usage_id = block.scope_ids.usage_id
    return getattr(usage_id, "course_key", None) or getattr(usage_id, "context_key", None)


def _cache_key(user_id, course_key, version, block, scope, counted_blocks):
    identity = json.dumps([int(user_id), str(course_key), version, str(block.scope_ids.usage_id), scope,
                           counted_blocks or ""], separators=(",", ":"))
    return CACHE_PREFIX + hashlib.sha256(identity.encode("utf-8")).hexdigest()


def learner_items(block, scope, counted_blocks, user_id):
    """
    ``(items, missing)`` from the learner's own course, or None outside the LMS (or when the
    platform cannot give it, and the block then counts the authored course as before).

    Cached per learner, block, configuration and course version: building the learner's course
    structure runs the platform's access transformers over the whole course, which is far too
    much for every render and every automatic check; reading the course version is one cheap
    lookup, and a publish changes it.
    """
    course_key = _course_key(block)
    if course_key is None:
        return None
    version = compat.course_version(course_key)
    key = _cache_key(user_id, course_key, version, block, scope, counted_blocks) if version else None
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    structure = compat.learner_course_blocks(user_id, course_key)
    if structure is None:
        return None
    found = _structure_items(structure, block.scope_ids.usage_id, scope, counted_blocks)
    if found is not None and key is not None:
        cache.set(key, found, CACHE_SECONDS)
    return found


def _structure_root(structure, usage_key, scope):
    """The key whose content is counted: the section the block is in, or the course."""
    if scope in (COURSE, BLOCKS):
        return structure.root_block_usage_key
    node = usage_key
    while True:
        parents = structure.get_parents(node)
        if not parents:
            return structure.root_block_usage_key
        node = parents[0]
        if node.block_type == SECTION_TYPE:
            return node


def _structure_skipped(structure, key):
    # Staff keep staff-only blocks in their structure (the visibility transformer exempts them);
    # its collected flag skips them here too, as the authored walk does.
    return (key.block_type == BLOCK_TYPE
            or structure.get_xblock_field(key, "completion_mode") == XBlockCompletionMode.EXCLUDED
            or structure.get_transformer_block_field(key, VISIBILITY, STAFF_ONLY, False))


def _structure_leaves(structure, key, found):
    if _structure_skipped(structure, key):
        return
    children = structure.get_children(key)
    if children:
        for child in children:
            _structure_leaves(structure, child, found)
        return
    if structure.get_xblock_field(key, "completion_mode") == XBlockCompletionMode.AGGREGATOR:
        return  # a container the learner is given nothing of (all its children are hidden from them)
    if str(key) not in found:
        found[str(key)] = CountedItem(key, str(key.block_id),
                                      str(structure.get_xblock_field(key, "display_name") or key.block_type),
                                      bool(structure.get_xblock_field(key, "has_score", False)))


def _structure_named(structure, key, names, found_names):
    matches = []
    keys = {str(key.block_id), str(key)} & names
    if keys:
        found_names.update(keys)
        matches.append(key)
    for child in structure.get_children(key):
        matches += _structure_named(structure, child, names, found_names)
    return matches


def _structure_items(structure, usage_key, scope, counted_blocks):
    """``(items, missing)`` in the learner's structure; None when the block is not in it."""
    if usage_key not in structure:
        # Not given to this learner (staff viewing content hidden from learners): nothing of
        # theirs to place it in, so the authored course decides, as it did before.
        log.info("%s is not in the learner's course blocks; counting the authored course", usage_key)
        return None
    root = _structure_root(structure, usage_key, scope)
    found = {}
    missing = []
    if scope == BLOCKS:
        names = set(block_names(counted_blocks))
        seen = set()
        for key in _structure_named(structure, root, names, seen):
            _structure_leaves(structure, key, found)
        # A listed block hidden from this learner (another cohort's, another branch) is not theirs
        # to complete: it is not "missing" for them, only for the author (Studio's preview).
        missing = []
    else:
        _structure_leaves(structure, root, found)
    return list(found.values()), missing


def course_key_of(block, root=None):
    """The course key string of the block's course ('' when the runtime has none)."""
    usage_id = block.scope_ids.usage_id
    for attribute in ("context_key", "course_key"):
        value = getattr(usage_id, attribute, None)
        if value is not None:
            return str(value)
    top = root
    if top is None:
        ancestors = list(_ancestors(block))
        top = ancestors[-1] if ancestors else None
    return str(getattr(top, "course_key", "") or "") if top is not None else ""


def learner_progress(block, items, user_id, course_key):  # pylint: disable=unused-argument
    """
    How far the learner is through ``items``, from the completion service. The score is not read
    here: see :func:`read_score` (the caller reads it only when it decides the credit).
    """
    service = block.runtime.service(block, "completion")
    progress = Progress(items=items)
    if user_id is None:
        return progress
    if service is None or not service.completion_tracking_enabled():
        progress.tracking = False
        return progress
    candidates = [item.usage_id for item in items]
    completions = service.get_completions(candidates) if candidates else {}
    progress.completed = frozenset(str(key) for key, value in completions.items() if value >= 1.0)
    return progress


def read_score(block, progress, user_id, course_key):
    """
    Fill in ``progress.score`` from the grades. In the LMS that reads the learner's whole course
    grade, so callers do it only when a minimum score is set and everything is completed: only
    then does the score decide anything.
    """
    progress.score_read = True
    scored = [item for item in progress.items if item.scored]
    service = block.runtime.service(block, "completion")
    if scored and service is not None:
        progress.score = _score(block, service, scored, user_id, course_key)
    return progress


def _score(block, service, scored, user_id, course_key):
    get_scores = getattr(service, "get_scores", None)  # the workbench service answers itself
    if get_scores is not None:
        found = {str(key): value for key, value in get_scores([item.usage_id for item in scored]).items()}
    else:
        found = compat.problem_scores(user_id, _course_key_object(block, course_key)) or {}
    earned = possible = 0.0
    for item in scored:
        if str(item.usage_id) in found:
            item_earned, item_possible = found[str(item.usage_id)]
            earned += item_earned
            possible += item_possible
    return (earned, possible) if possible else None


def _course_key_object(block, course_key):  # pragma: no cover - the LMS path
    return getattr(block.scope_ids.usage_id, "context_key", None) or course_key
