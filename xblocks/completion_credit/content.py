"""
What content a block counts, and how far a learner is through it, decided on the server.

The counted content is the completable leaves under the block's section (its ``chapter``
ancestor), under the whole course, or under an explicit list of blocks (named by ``url_name`` or
by usage key). Containers are walked, blocks whose completion mode is ``excluded`` and blocks
visible to staff only are skipped, and so are completion-credit blocks themselves: they summarise
content, and two of them counting each other would never complete.

Completion comes from the runtime's ``completion`` service (the platform's in the LMS, the
suite's own in the workbench); scores from the platform's grades through ``xblocks.compat`` in
the LMS, or from the workbench service. Nothing the browser says is trusted.
"""
from dataclasses import dataclass, field

from xblock.completable import XBlockCompletionMode

from xblocks import compat

from .config import BLOCKS, COURSE, block_names

BLOCK_TYPE = "completion-credit"
SECTION_TYPE = "chapter"


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


def counted_items(block, scope, counted_blocks=""):
    """``(items, missing names)``: the completable leaves the block counts, in course order."""
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


def learner_progress(block, items, user_id, course_key):
    """How far the learner is through ``items``, from the completion service and the grades."""
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
    scored = [item for item in items if item.scored]
    if scored:
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
