"""
Learner state in the workbench that survives two requests at once, as it does in the LMS.

The XBlock SDK keeps all of a block's fields in one scope as a single JSON text per row and
changes a field by reading the row, editing the JSON and writing it back, outside any
transaction. Two requests at once (a double click, two tabs) then overwrite each other's fields,
and a field the runtime has just seen with ``has()`` can be gone by the ``get()`` that follows,
which raises ``KeyError`` out of a handler. The LMS keeps a learner's state for a block in one
row with a unique key and reads it once per request, so a handler there never sees a field vanish.

:func:`install` replaces the store the workbench runtimes use with one that changes a row only
inside a transaction holding a lock on it, and creates rows one at a time (one process: the
demo server and the tests). Like ``support``, it is only called from workbench
code paths and tests, never on import.
"""
import json
import threading

from django.db import transaction

_install_lock = threading.Lock()
# XBlockState has no unique key: two requests creating a learner's row at once would make two rows
# (and every later read would fail). Rows are created under this lock and committed before it is let go.
_rows_lock = threading.Lock()
_DELETED = object()


def _store_class():
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    from workbench.runtime import WorkbenchDjangoKeyValueStore  # pylint: disable=import-outside-toplevel

    class LockingWorkbenchKeyValueStore(WorkbenchDjangoKeyValueStore):
        """The SDK's store, with every change made under row locks in one transaction."""

        locks_rows = True

        @staticmethod
        def _record(key):
            with _rows_lock:
                return XBlockState.get_for_key(key)

        def get(self, key):
            return json.loads(self._record(key).state)[key.field_name]

        def has(self, key):
            return key.field_name in json.loads(self._record(key).state)

        def set(self, key, value):
            self._change({key: value})

        def set_many(self, update_dict):
            self._change(update_dict)  # a block's save() is one change: all its fields or none

        def delete(self, key):
            self._change({key: _DELETED})

        def _change(self, changes):
            row_of = {key: self._record(key).pk for key in changes}
            with transaction.atomic():
                # Locked in id order, so two saves touching the same rows cannot deadlock.
                rows = list(XBlockState.objects.select_for_update().filter(pk__in=set(row_of.values())).order_by("pk"))
                states = {row.pk: json.loads(row.state) for row in rows}
                for key, value in changes.items():
                    state = states[row_of[key]]
                    if value is _DELETED:
                        del state[key.field_name]  # KeyError, as the SDK's store raises for a field never set
                    else:
                        state[key.field_name] = value
                for row in rows:
                    row.state = self._to_json_str(states[row.pk])
                    row.save(update_fields=["state"])

    return LockingWorkbenchKeyValueStore


def install():
    """Make new workbench runtimes keep field data in the locking store (idempotent)."""
    from workbench import runtime  # pylint: disable=import-outside-toplevel
    with _install_lock:
        if not getattr(runtime.WORKBENCH_KVS, "locks_rows", False):
            runtime.WORKBENCH_KVS = _store_class()()
