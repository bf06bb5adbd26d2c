"""
Small pieces the suite's packages share, so each rule is written once.

* :mod:`xblocks.common.mixins`: XBlock mixins (who is looking; translation).
* :mod:`xblocks.common.spreadsheet`: CSV cells a spreadsheet will not run as formulas.

Nothing here imports edx-platform (that is :mod:`xblocks.compat`'s job), the ledger or a block.
"""
