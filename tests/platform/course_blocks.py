"""
Double of ``lms.djangoapps.course_blocks.api`` (``get_course_blocks``) and of the
``BlockStructureBlockData`` it returns.

Contract read at two platform commits (the search index's copies; the pinned commits themselves
were not stored):

* ``lms/djangoapps/course_blocks/api.py`` at openedx/edx-platform fa43038e (Ulmo line) and
  openedx/openedx-platform e57a655d (Verawood line): ``get_course_blocks(user,
  starting_block_usage_key, transformers=None, collected_block_structure=None,
  allow_start_dates_in_future=False, include_completion=False,
  include_has_scheduled_content=False)``; with ``transformers=None`` it applies the course
  access transformers (library_content, library_content order, start_date, content type gate,
  user_partitions, visibility, date overrides) and returns the transformed structure starting at
  ``starting_block_usage_key``, holding exactly the blocks the user can reach.
* ``openedx/core/djangoapps/content/block_structure/block_structure.py`` at e57a655d (and
  edx-platform 00d46622 for the older line): ``root_block_usage_key``, ``get_parents(key)`` and
  ``get_children(key)`` (lists of usage keys, ``[]`` for a key not in the structure),
  ``key in structure``, iteration over the keys, ``topological_traversal(filter_func=None,
  yield_descendants_of_unyielded=False, start_node=None)``, ``get_xblock_field(key, name,
  default=None)`` (only *collected* fields: those some registered transformer requested) and
  ``get_transformer_block_field(key, transformer, key, default=None)``.
* What removes a block for a learner: ``transformers/user_partitions.py`` (``group_access``
  outside the learner's groups; ``transformers/split_test.py`` turns a split test's
  ``group_id_to_child`` into its children's ``group_access`` at collect time and leaves the
  split test in place), ``transformers/library_content.py`` (item-bank children not in the
  learner's ``selected`` state; read at e57a655d's sibling commit 1d691b20 and edx-platform
  01cb57d7), ``transformers/visibility.py`` (staff-only blocks, for non-staff) and
  ``transformers/start_date.py`` (unreleased blocks, unless staff or
  ``allow_start_dates_in_future``).
* Collected fields used here: ``display_name`` and ``category`` (``BlocksAPITransformer``),
  ``has_score``, ``course_version``, ``subtree_edited_on`` (``GradesTransformer``),
  ``completion_mode`` (``BlockCompletionTransformer``), ``max_count`` (library content); and the
  visibility transformer's block data ``merged_visible_to_staff_only`` (transformer name
  ``visibility``, ``transformers/visibility.py`` at e57a655d), which staff keep in their structure.

A test describes its authored course with :class:`AuthoredCourse` (blocks, cohorts / content
groups, split tests, item banks and each learner's groups and selections), registers it with
:func:`register`, and installs this module with the ``platform`` fixture (see :func:`modules`).
Calls are recorded on the course (``course.calls``) so a test can see when the platform was asked.
"""
from datetime import datetime, timezone

COLLECTED_FIELDS = frozenset({
    "display_name", "category", "graded", "format", "due", "show_correctness", "icon_class",
    "has_score", "weight", "course_version", "subtree_edited_on", "completion_mode", "max_count",
    "days_early_for_beta",
})
AGGREGATORS = frozenset({"course", "chapter", "sequential", "vertical", "split_test", "library_content", "itembank"})
ITEM_BANKS = frozenset({"library_content", "itembank"})

_COURSES = {}


class AuthoredCourse:
    """A course as authored, plus what the platform knows of each learner (groups, selections)."""

    def __init__(self, course_key, version="5f0000000000000000000001"):
        self.course_key = course_key
        self.version = version
        self.edited_on = datetime(2026, 1, 5, tzinfo=timezone.utc)
        self.root = course_key.make_usage_key("course", "course")
        self.fields = {self.root: {"display_name": "Course", "category": "course"}}
        self.children = {self.root: []}
        self.group_access = {}      # key -> {partition id: [group ids]}
        self.split_tests = {}       # key -> (partition id, {group id: child key})
        self.memberships = {}       # user id -> {partition id: group id}
        self.selections = {}        # (user id, item bank key) -> [child keys] (the learner's "selected" state)
        self.calls = []

    def add(self, parent, block_type, block_id, **fields):
        key = self.course_key.make_usage_key(block_type, block_id)
        values = {"category": block_type, "display_name": block_id,
                  "completion_mode": "aggregator" if block_type in AGGREGATORS else "completable"}
        values.update(fields)
        self.fields[key] = values
        self.children[key] = []
        self.children[parent].append(key)
        return key

    def restrict(self, key, partition_id, group_ids):
        self.group_access.setdefault(key, {})[partition_id] = list(group_ids)

    def split_test(self, parent, block_id, partition_id, branches):
        """A split test whose ``branches`` ``{group id: branch block id}`` are verticals."""
        key = self.add(parent, "split_test", block_id)
        mapping = {group: self.add(key, "vertical", branch) for group, branch in branches.items()}
        self.split_tests[key] = (partition_id, mapping)
        return key, mapping

    def publish(self, version):
        self.version = version
        self.edited_on = datetime.now(timezone.utc)

    # -- what the transformers decide -------------------------------------------------------

    def _group_allowed(self, user_id, access):
        groups = self.memberships.get(user_id, {})
        return all(groups.get(partition) in allowed for partition, allowed in access.items())

    def _access(self, key):
        access = dict(self.group_access.get(key, {}))
        for partition_id, mapping in self.split_tests.values():
            for group, child in mapping.items():
                if child == key:
                    access[partition_id] = [group]
        return access

    def _removed(self, user, key, parent, allow_future):
        fields = self.fields[key]
        staff = bool(getattr(user, "is_staff", False))
        if fields.get("visible_to_staff_only") and not staff:
            return True
        start = fields.get("start")
        if start is not None and start > datetime.now(timezone.utc) and not (staff or allow_future):
            return True
        if not staff and not self._group_allowed(user.id, self._access(key)):
            return True
        if parent is not None and parent.block_type in ITEM_BANKS:
            selected = self.selections.get((user.id, parent))
            if selected is None:
                selected = self.children[parent][:self.fields[parent].get("max_count", 1)]
            return key not in selected
        return False


class BlockStructureBlockData:
    """The transformed structure: relations and collected fields of the blocks a learner can reach."""

    def __init__(self, root_block_usage_key, relations, fields, transformer_data=None):
        self.root_block_usage_key = root_block_usage_key
        self._transformer_data = transformer_data or {}
        self._children = relations
        self._parents = {}
        for parent, children in relations.items():
            for child in children:
                self._parents.setdefault(child, []).append(parent)
        self._fields = fields

    def __contains__(self, usage_key):
        return usage_key in self._children

    def __iter__(self):
        return iter(self._children.keys())

    def __len__(self):
        return len(self._children)

    def get_parents(self, usage_key):
        return list(self._parents.get(usage_key, [])) if usage_key in self else []

    def get_children(self, usage_key):
        return list(self._children[usage_key]) if usage_key in self else []

    def topological_traversal(self, filter_func=None, yield_descendants_of_unyielded=False, start_node=None):
        """Parents before children, in course order (the course is a tree here, not a DAG)."""
        pending = [(start_node or self.root_block_usage_key, True)]
        while pending:
            key, parent_yielded = pending.pop()
            yielded = parent_yielded and (filter_func is None or filter_func(key))
            if yielded:
                yield key
            if yielded or yield_descendants_of_unyielded:
                pending.extend((child, True) for child in reversed(self._children[key]))

    def get_xblock_field(self, usage_key, field_name, default=None):
        if field_name not in COLLECTED_FIELDS:
            return default
        return self._fields.get(usage_key, {}).get(field_name, default)

    def get_transformer_block_field(self, usage_key, transformer, key, default=None):
        """A transformer is named by its class (its ``name()``) or by that name, as TransformerDataMap allows."""
        name = transformer.name() if hasattr(transformer, "name") else transformer
        return self._transformer_data.get(usage_key, {}).get(name, {}).get(key, default)


def get_course_blocks(user, starting_block_usage_key, transformers=None, collected_block_structure=None,  # pylint: disable=unused-argument
                      allow_start_dates_in_future=False, include_completion=False,
                      include_has_scheduled_content=False):
    """The blocks of the course ``user`` can reach, from ``starting_block_usage_key`` down."""
    course = _COURSES[starting_block_usage_key.course_key]
    course.calls.append((user.id, starting_block_usage_key, course.version, allow_start_dates_in_future))
    relations = {}

    def keep(key, parent):
        if course._removed(user, key, parent, allow_start_dates_in_future):  # pylint: disable=protected-access
            return
        relations[key] = []
        for child in course.children[key]:
            if keep(child, key):
                relations[key].append(child)
        return True

    keep(starting_block_usage_key, None)
    fields = {key: dict(course.fields[key]) for key in relations}
    if course.root in fields:
        fields[course.root].update(course_version=course.version, subtree_edited_on=course.edited_on)
    # The visibility transformer's collected flag: staff-only on the block or on an ancestor.
    transformer_data = {}
    pending = [(starting_block_usage_key, False)] if starting_block_usage_key in relations else []
    while pending:
        key, inherited = pending.pop()
        merged = inherited or bool(course.fields[key].get("visible_to_staff_only"))
        transformer_data[key] = {"visibility": {"merged_visible_to_staff_only": merged}}
        pending.extend((child, merged) for child in relations[key])
    return BlockStructureBlockData(starting_block_usage_key, relations, fields, transformer_data)


def register(course):
    _COURSES[course.course_key] = course
    return course


def unregister(course):
    _COURSES.pop(course.course_key, None)


def modules():
    """For the ``platform`` fixture: this double and the modulestore double, at their real paths."""
    from tests.platform.modulestore_django import registered_courses_modulestore  # pylint: disable=import-outside-toplevel
    return {
        "lms.djangoapps.course_blocks.api": {"get_course_blocks": get_course_blocks},
        "xmodule.modulestore.django": {"modulestore": registered_courses_modulestore},
    }
