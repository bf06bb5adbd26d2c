"""
What every evidence operation starts from: where the block sits (:class:`Place`) and how a request
is refused (:class:`Refused`) when it is not allowed, names nothing the caller may see, comes too
late or needs setup.
"""
from dataclasses import dataclass

from xblocks.criteria.problems import Problem


class Refused(Exception):
    """The request is not allowed (403), names nothing this user may see (404), comes too late (409) or needs setup (503)."""

    def __init__(self, http_status, template, **params):
        self.status = http_status
        self.problem = Problem(template, params)
        super().__init__(str(self.problem))


@dataclass(frozen=True)
class Place:
    """Where the block sits, and what it offers."""

    course_key: str
    usage_key: str
    policy: object
    offered_indicators: tuple
