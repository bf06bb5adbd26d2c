"""
The ``verify-credential`` action of the ``learning_citizen`` command, kept with the credentials it
checks: the command reads the files and calls :func:`verify_credential`, which prints what
:func:`.credentials.verify` found and ends with the action's exit status.
"""
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .credentials import verify

# Exit statuses of `verify-credential`: not valid (signature, key, dates), revoked, status unknown.
CREDENTIAL_INVALID_EXIT = 2
CREDENTIAL_REVOKED_EXIT = 3
CREDENTIAL_STATUS_UNKNOWN_EXIT = 4


def verify_credential(command, token, *, issuer_key_paths=(), status_list_text=None, fetch=True, as_json=False):
    """
    Verify ``token`` and report on ``command``'s stdout (stderr for problems), as text or JSON.
    Returns when the credential is valid and not revoked; raises CommandError with the exit status otherwise.
    """
    report = verify(token, issuer_key_paths=issuer_key_paths, status_list_text=status_list_text, fetch=fetch)
    problems = [problem.render(_) for problem in report.problems]
    if as_json:
        command.stdout.write(json.dumps({**report.as_dict(), "problems": problems}, ensure_ascii=False))
    else:
        if report.valid:
            _write_findings(command.stdout, report)
        for problem in problems:
            command.stderr.write(problem)
    if not report.valid:
        raise CommandError(_("The credential is NOT valid."), returncode=CREDENTIAL_INVALID_EXIT)
    if report.revoked:
        raise CommandError(_("The credential was revoked."), returncode=CREDENTIAL_REVOKED_EXIT)
    if report.revoked is None:
        raise CommandError(_("The credential is valid, but whether it was revoked is unknown."), returncode=CREDENTIAL_STATUS_UNKNOWN_EXIT)


def _write_findings(out, report):
    source = {"configured": _("one of this site's keys"), "given": _("the key given"),
              "published": _("published by the issuer")}[report.key_source]
    out.write(_("Signature valid: {algorithm} key {key} ({source}).").format(
        algorithm=report.algorithm, key=report.key_thumbprint, source=source))
    out.write(_("Issuer: {name} ({id})").format(name=report.issuer_name, id=report.issuer_id))
    out.write(_("Credential: {name}, {total} points ({id})").format(name=report.name, total=report.total, id=report.credential_id))
    if report.revoked is True:
        out.write(_("Status: REVOKED ({source}).").format(source=report.status_source))
    elif report.revoked is False:
        out.write(_("Status: not revoked ({source}).").format(source=report.status_source))
    else:
        out.write(_("Status: unknown; revocation could not be checked."))
