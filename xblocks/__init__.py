"""Open edX XBlocks and the criteria ledger for Vietnam's "Learning Citizen" title."""

__version__ = "0.1.0"
