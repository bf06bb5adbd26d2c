"""
Double of ``xmodule.modulestore.django`` (and the ``ItemNotFoundError`` of
``xmodule.modulestore.exceptions`` its store raises), for ``xblocks.compat.modulestore`` and
``authored_block``.

Contract read in ``xmodule/modulestore/django.py`` (openedx/edx-platform 16397a1) and
``xmodule/modulestore/mixed.py`` (openedx/openedx-platform e57a655); the pinned release commits
(edx-platform 000a598, openedx-platform 01f9729) are not stored, these are the nearest copies:

- ``modulestore()``: no arguments, the one store of the process;
- ``store.get_item(usage_key, depth=0, **kwargs)``: ``usage_key`` must be a ``UsageKey`` (the
  mixed store reads ``usage_key.course_key`` to choose the backing store); ``depth`` is how many
  levels of children to load (None: all); a block it does not hold raises ``ItemNotFoundError``.
"""


class ItemNotFoundError(Exception):
    """Stands for ``xmodule.modulestore.exceptions.ItemNotFoundError``."""


class ModuleStoreDouble:
    """A store holding ``blocks`` ({UsageKey: block}); records every ``get_item`` call."""

    def __init__(self, blocks):
        self.blocks = dict(blocks)
        self.calls = []

    def get_item(self, usage_key, depth=0, **kwargs):
        self.calls.append((usage_key, depth, kwargs))
        usage_key.course_key  # pylint: disable=pointless-statement  # read as the mixed store reads it: a string fails here
        if usage_key not in self.blocks:
            raise ItemNotFoundError(usage_key)
        return self.blocks[usage_key]


def modulestore_module(store):
    """The names ``xmodule.modulestore.django`` offers, for ``platform_modules``."""
    return {
        "xmodule.modulestore.django": {"modulestore": lambda: store},
        "xmodule.modulestore.exceptions": {"ItemNotFoundError": ItemNotFoundError},
    }


__all__ = ["ItemNotFoundError", "ModuleStoreDouble", "modulestore_module"]
