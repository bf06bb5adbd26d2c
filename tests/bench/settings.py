"""
Settings for the benchmark: the suite's standalone settings with DEBUG off.

With DEBUG on, Django keeps every query in ``connection.queries`` and wraps each cursor call in
a timer, which slows both sides of the comparison and grows memory over 10^5 appends. An LMS
runs with DEBUG off, so the benchmark does too. The database comes, as usual, from
LEARNING_CITIZEN_DATABASE_URL, which ``tests.bench.run`` points at the bench databases.
"""
from xblocks.workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

DEBUG = False
