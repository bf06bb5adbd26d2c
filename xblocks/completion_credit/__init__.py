"""Completion credit: an XBlock that turns completed course content into Learning Citizen credit."""
