"""
Small pieces the suite's packages share, so each rule is written once.

* :mod:`xblocks.common.mixins`: XBlock mixins (who is looking; translation).
* :mod:`xblocks.common.spreadsheet`: CSV cells a spreadsheet will not run as formulas.
* :mod:`xblocks.common.credit`: the one road by which every credit and reversal reaches the ledger.

Nothing here imports edx-platform (that is :mod:`xblocks.compat`'s job), a block or the reports;
only :mod:`xblocks.common.credit` uses the ledger, the layer below.
"""
