"""
The digital-skills assessment: an XBlock (:mod:`.block`) and a small Django app (label
``learning_citizen_assessment``) that keeps every submitted attempt, for item statistics and for
the digital-skills facts the national reports count (:mod:`.api`).

Nothing is imported here: the LMS loads the app config and the XBlock class separately, and the
block must import without Django models being ready.
"""
