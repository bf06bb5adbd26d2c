"""
How large evidence uploads may be on this site: the evidence policy's limits, clamped to what the
platform and the proxy in front of it accept, so a learner is told the real limit and never sends
a request that is cut off before the block sees it.

What the platform does (read in ``openedx/edx-platform`` at 86114bb and ``openedx/openedx-platform``
at 95e2990, ``lms/djangoapps/courseware/block_render.py``; settings in ``lms/envs/common.py`` at
0191bfd): ``_invoke_xblock_handler`` calls ``_check_files_limits(request.FILES)`` before loading the
block and answers HTTP 413 (``{"success": "Submission aborted! ..."}``, in English) when one form
field holds more than ``MAX_FILEUPLOADS_PER_INPUT`` files (default 20) or any file is larger than
``STUDENT_FILEUPLOAD_MAX_SIZE`` bytes (default ``4 * 1000 * 1000``). Outside the LMS (workbench,
tests, Studio preview) these settings may be absent.

What the proxy does: Tutor's Caddy caps every request body to the LMS host at ``max_size 4MB``
(4,000,000 bytes) and answers 413 itself. That cap covers the whole multipart body, so the files
of one submission together must stay under it, with room left for the form's text fields. Sites
set our ``LEARNING_CITIZEN_EVIDENCE_MAX_REQUEST_BYTES`` to their proxy's cap (``None``: no cap).

A declaration is sent in one request (fields and files together) so that it is stored whole or not
at all; a learner who has more evidence than one request carries adds the rest by editing.
"""
from dataclasses import dataclass

from xblocks.criteria.problems import N_

REQUEST_SETTING = "LEARNING_CITIZEN_EVIDENCE_MAX_REQUEST_BYTES"
# Tutor's Caddy: request_body { max_size 4MB } on the LMS host (Caddy reads MB as 1000 * 1000 bytes).
DEFAULT_MAX_REQUEST_BYTES = 4 * 1000 * 1000
# Room in one request for everything that is not file content: the text fields (a 4,000-character
# description is up to 12 kB in UTF-8), the multipart boundaries and part headers, the file names.
FORM_HEADROOM = 64 * 1024
# Said to the learner when files are sent but the site has no private evidence storage (files.evidence_storage).
UPLOADS_OFF = N_("File uploads are turned off on this site until an administrator sets up private storage for "
                 "evidence. Give a link to your evidence instead.")


@dataclass(frozen=True)
class UploadLimits:
    """What one submission may carry here: ``max_files`` files, each at most ``max_file_bytes``, at most ``max_total_bytes`` together."""

    max_files: int
    max_file_bytes: int
    max_total_bytes: int

    @property
    def clamped_total(self):
        """True when the request cap, not the count and size per file, is what limits a submission."""
        return self.max_total_bytes < self.max_files * self.max_file_bytes


def _positive(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def upload_limits(policy):
    """The policy's file limits, each no larger than the platform's and the proxy's (from Django settings)."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    per_file = [policy.max_file_bytes]
    platform_file = _positive(getattr(settings, "STUDENT_FILEUPLOAD_MAX_SIZE", None))
    if platform_file:
        per_file.append(platform_file)
    platform_count = _positive(getattr(settings, "MAX_FILEUPLOADS_PER_INPUT", None))
    max_files = min(policy.max_files, platform_count) if platform_count else policy.max_files
    request = _positive(getattr(settings, REQUEST_SETTING, DEFAULT_MAX_REQUEST_BYTES))
    total = None
    if request:
        total = max(request - FORM_HEADROOM, 1)
        per_file.append(total)
    max_file_bytes = min(per_file)
    return UploadLimits(max_files=max_files, max_file_bytes=max_file_bytes,
                        max_total_bytes=total if total is not None else max_files * max_file_bytes)
