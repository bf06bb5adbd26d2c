"""
The suite on its own, without an LMS: Django settings for the ``learning-citizen`` command
(:mod:`.settings`), its database (:mod:`.database`) and the optional Redis event bus
(:mod:`.event_bus`). Nothing here needs the XBlock SDK; the workbench settings build on these.
"""
