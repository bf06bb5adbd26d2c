"""
The learner's standing block (``learning-citizen-standing``, entry point ``xblock.v1``).

The credentials it hands out are issued by the credentials app, :mod:`xblocks.credentials`.
Nothing here is imported on package import.
"""
