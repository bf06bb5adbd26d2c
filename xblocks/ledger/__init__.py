"""
The criteria ledger: an append-only, idempotent, hash-chained record of every credit a learner
earns toward a criteria framework. Write only through :mod:`xblocks.ledger.api`.
"""
