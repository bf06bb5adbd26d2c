"""Learner state in workbench runtimes: no field is lost when requests change a block's state at once."""
import pytest
from xblock.core import XBlock
from xblock.fields import Integer, Scope

from tests.concurrency import run_at_once
from xblocks.workbench import field_storage

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True)]
WRITERS = 8
FIELDS_PER_WRITER = 12


class Counters(XBlock):
    """A block with many learner-state fields, each written by one writer only."""


for _writer in range(WRITERS):
    for _field in range(FIELDS_PER_WRITER):
        setattr(Counters, f"w{_writer}_f{_field}", Integer(scope=Scope.user_state, default=0))


def _load():
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario("field-storage")
    return runtime.parse_xml_string("<lc-counters/>")


def _write_my_fields(usage_id, writer):
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    for field in range(FIELDS_PER_WRITER):
        block = WorkbenchRuntime("7").get_block(usage_id)
        setattr(block, f"w{writer}_f{field}", field + 1)
        block.save()


@XBlock.register_temp_plugin(Counters, "lc-counters")  # pylint: disable=no-member
def test_fields_saved_by_simultaneous_requests_are_all_kept():
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    usage_id = _load()
    run_at_once(lambda writer: _write_my_fields(usage_id, writer), WRITERS)
    block = WorkbenchRuntime("7").get_block(usage_id)
    missing = [(writer, field) for writer in range(WRITERS) for field in range(FIELDS_PER_WRITER)
               if getattr(block, f"w{writer}_f{field}") != field + 1]
    assert missing == []


def test_install_is_idempotent_and_new_runtimes_use_the_locking_store():
    from workbench import runtime  # pylint: disable=import-outside-toplevel
    field_storage.install()
    store = runtime.WORKBENCH_KVS
    field_storage.install()
    assert runtime.WORKBENCH_KVS is store and store.locks_rows
    assert runtime.WorkbenchRuntime("7")._services["field-data"]._kvs is store  # pylint: disable=protected-access
