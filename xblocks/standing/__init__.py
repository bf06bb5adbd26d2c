"""
The learner's standing block, and the Learning Citizen credentials it hands out.

Two things share this package, as an XBlock package with a bundled Django app usually does:

* :mod:`.block` — the ``learning-citizen-standing`` XBlock (entry point ``xblock.v1``);
* a small Django app (label ``learning_citizen_credentials``) that keeps the credentials issued,
  their revocation status list, and serves the issuer's key and status lists (entry point
  ``lms.djangoapp``).

Nothing here is imported on package import: the LMS may load either half without the other.
"""
