"""Settings and scenarios for running the suite on its own, in the XBlock SDK workbench."""
