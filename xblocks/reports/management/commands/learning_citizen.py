"""
``manage.py learning_citizen <action>`` inside an LMS, and ``learning-citizen <action>`` on its own.

One parser serves both, so the two never drift apart. Errors go to stderr with a non-zero
exit, and nothing is left half-done.
"""
import argparse
import json
import os
import sys
from contextlib import contextmanager, nullcontext
from importlib import resources

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from xblocks.common.credit import withdraw_credit
from xblocks.common.mixins import shipped_language
from xblocks.credentials.command import verify_credential
from xblocks.credentials.credentials import NotRecognised, issue
from xblocks.criteria.documents import FIXTURES_PACKAGE
from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import InvalidInput
from xblocks.criteria.standing import format_points
from xblocks.ledger import api, checkpoints
from xblocks.ledger.ingest import ingest
from xblocks.ledger.models import Entry

from ...exports import FORMATS, count_learners, export_queryset, write_export
from ...membership import import_members
from ...progress import build_report, count_population
from ...render import render_html, write_csv

# Exit status of `verify` when the ledger was tampered with (1 is any other error).
TAMPERED_EXIT = 2
# The largest id a user or ledger entry can have on every database (a signed 64-bit integer).
MAX_ID = 2 ** 63 - 1
DEFAULT_FRAMEWORK = "learning-citizen-2021-2030"
# What `demo` loads (fixtures/demo): the sample learners' credit, and where they live, learn and work
# (a province, two communes, families, a clan, communities and units), so the report has figures.
DEMO_CREDIT_EVENTS = ("demo/credit-events.jsonl", "demo/members-credit-events.jsonl")
DEMO_MEMBERS = "demo/members.csv"


class Command(BaseCommand):
    help = _("Learning Citizen criteria ledger: ingest credit, show standing, verify, export, import members, report.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        demo = actions.add_parser("demo", help=_("load the sample data and optionally serve the workbench"))
        demo.add_argument("--serve", metavar="ADDR:PORT", help=_("serve the workbench here after loading"))

        ingest_parser = actions.add_parser("ingest", help=_("append credit events from a JSON-lines file"))
        ingest_parser.add_argument("file", metavar="FILE.jsonl", help=_("one credit event per line; - for standard input"))

        standing = actions.add_parser("standing", help=_("a learner's standing in one period"))
        standing.add_argument("--learner", type=whole_id, required=True, metavar="USER_ID")
        standing.add_argument("--period", required=True, metavar="YEAR")
        standing.add_argument("--framework", default=DEFAULT_FRAMEWORK)
        standing.add_argument("--json", action="store_true", help=_("print JSON"))

        verify = actions.add_parser("verify", help=_("check every hash chain; exit 2 if anything was changed behind the API"))
        verify.add_argument("--checkpoint", action="append", default=[], metavar="FILE",
                            help=_("also check that the ledger still extends this checkpoint (from `anchor`); may be repeated"))

        anchor = actions.add_parser("anchor", help=_("write a checkpoint of every chain head, to keep outside the database"))
        anchor.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of standard output"))

        verify_credential = actions.add_parser(
            "verify-credential", help=_("check a Learning Citizen credential: signature, issuer key, revocation"))
        verify_credential.add_argument("file", metavar="FILE", help=_("the credential (a VC-JWT file); - for standard input"))
        verify_credential.add_argument("--issuer-key", action="append", default=[], metavar="PEM",
                                       help=_("trust this issuer key (PEM); otherwise this site's keys, then the key the issuer publishes"))
        verify_credential.add_argument("--status-list", metavar="FILE", help=_("check revocation against this status list file"))
        verify_credential.add_argument("--offline", action="store_true", help=_("fetch nothing over the network"))
        verify_credential.add_argument("--json", action="store_true", help=_("print JSON"))

        reverse = actions.add_parser("reverse", help=_("reverse a ledger entry: append its opposite, with a reason"))
        reverse.add_argument("entry", type=whole_id, metavar="ENTRY_ID", help=_("the id of the entry to reverse"))
        reverse.add_argument("--reason", required=True, help=_("why the entry is reversed; kept in the ledger"))

        issue_credential = actions.add_parser(
            "issue-credential", help=_("write a learner's signed Open Badges 3.0 credential (VC-JWT) to hand over"))
        issue_credential.add_argument("--learner", type=whole_id, required=True, metavar="USER_ID")
        issue_credential.add_argument("--period", required=True, metavar="YEAR")
        issue_credential.add_argument("--framework", default=DEFAULT_FRAMEWORK)
        issue_credential.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of standard output"))

        export = actions.add_parser("export", help=_("export ledger entries"))
        export.add_argument("--period", metavar="YEAR")
        export.add_argument("--format", choices=FORMATS, default="csv")
        export.add_argument("--course", help=_("only this course key"))
        export.add_argument("--indicator", help=_("only this indicator code"))
        export.add_argument("--provenance", choices=("verified", "declared"))
        export.add_argument("--unit", metavar="CODE", help=_("only members of this unit"))
        export.add_argument("--community", metavar="CODE", help=_("only members of this community"))
        export.add_argument("--commune", metavar="CODE", help=_("only members living in this commune"))
        export.add_argument("--province", metavar="CODE", help=_("only members living in this province"))
        export.add_argument("-o", "--output", metavar="FILE", help=_("write here instead of standard output"))

        import_members = actions.add_parser(
            "import-members", help=_("import learners' families, clans, communities, units, communes and provinces from CSV"))
        import_members.add_argument("file", metavar="FILE.csv", help=_("one member per row, with a header row; - for standard input"))

        report = actions.add_parser("report", help=_("progress of an area against the national targets"))
        report.add_argument("--period", required=True, metavar="YEAR")
        report.add_argument("--area", default="all", metavar="AREA",
                            help=_("all (the default), or province:CODE, commune:CODE, community:CODE, unit:CODE"))
        report.add_argument("--format", choices=("html", "csv"), default="html")
        report.add_argument("-o", "--output", metavar="FILE", help=_("write here instead of standard output"))

    def handle(self, *args, action, **options):
        if any(isinstance(value, str) and "\x00" in value for value in _option_values(options)):
            raise CommandError(_("An argument holds the NUL character; nothing was done."))
        try:
            return getattr(self, f"handle_{action.replace('-', '_')}")(**options)
        except InvalidInput as error:
            raise CommandError(_rendered(error)) from None

    def handle_demo(self, serve=None, **options):
        # The sample learners' credit and membership; both idempotent, so loading twice appends nothing new.
        fixtures = resources.files(FIXTURES_PACKAGE)
        appended = 0
        for name in DEMO_CREDIT_EVENTS:
            with fixtures.joinpath(name).open("rb") as handle:
                appended += ingest(handle).appended
        with fixtures.joinpath(DEMO_MEMBERS).open("rb") as handle:
            import_members(handle)
        self.stdout.write(_("Demo data loaded: {count} new ledger entries.").format(count=appended))
        if serve:
            from django.core.management import call_command  # pylint: disable=import-outside-toplevel
            call_command("runserver", serve, use_reloader=False)

    def handle_ingest(self, file, **options):
        with _opened(file) as handle:
            try:
                result = ingest(handle)
            except InvalidInput as error:
                raise CommandError(_("{file} was not ingested; nothing was appended. Fix these lines:\n{lines}").format(
                    file=file, lines=_rendered(error))) from None
        self.stdout.write(_("Appended {appended} entries; skipped {skipped} already recorded.").format(
            appended=result.appended, skipped=result.skipped))

    def handle_standing(self, learner, period, framework, json=False, **options):  # pylint: disable=redefined-outer-name
        problem = get_framework(framework).period_problem(period)
        if problem:
            raise InvalidInput([problem])
        result = api.standing(learner, period, framework)
        if json:
            self.stdout.write(_json_dumps(result.as_dict()))
            return
        verdict = _("recognised") if result.recognised else _("not recognised")
        self.stdout.write(_("Learner {learner}, {period}: {total} points ({threshold} needed), {verdict}").format(
            learner=learner, period=period, total=format_points(result.total), threshold=format_points(result.min_total),
            verdict=verdict))
        for indicator in result.indicators:
            line = _("  indicator {code}: {points} of {maximum}").format(
                code=indicator.code, points=format_points(indicator.points), maximum=format_points(indicator.max_points))
            if indicator.shortfall:
                line += _(", short by {points}").format(points=format_points(indicator.shortfall))
            self.stdout.write(line)

    def handle_verify(self, checkpoint=(), **options):
        anchored = []
        for file in checkpoint:  # every file is read and checked before the ledger is
            try:
                anchored.append(checkpoints.parse(_read_text(file)))
            except InvalidInput as error:
                raise CommandError(_("{file} is not a usable checkpoint:\n{problems}").format(
                    file=file, problems=_rendered(error))) from None
        report = api.verify()
        breaks = list(report.breaks) + [found for taken in anchored for found in checkpoints.breaks_since(taken)]
        if breaks:
            details = "\n".join(str(item) for item in breaks)
            raise CommandError(_("The ledger was changed behind its API. First broken: {first}\n{details}").format(
                first=breaks[0], details=details), returncode=TAMPERED_EXIT)
        self.stdout.write(_("Ledger intact: {count} entries verified.").format(count=report.entries_checked))
        for taken in anchored:
            self.stdout.write(_("It still extends the checkpoint of {taken_at} ({fingerprint}).").format(
                taken_at=taken.taken_at, fingerprint=taken.fingerprint))

    def handle_anchor(self, output=None, **options):
        document = checkpoints.take()
        self._write_output(output, lambda out, _progress: out.write(json.dumps(document, indent=2) + "\n"))
        self.stderr.write(_("Checkpoint of {count} entries taken at {taken_at}, fingerprint {fingerprint}. "
                            "Keep it outside this database.").format(
            count=document["entries"], taken_at=document["taken_at"], fingerprint=document["fingerprint"]))

    def handle_verify_credential(self, file, issuer_key=(), status_list=None, offline=False, json=False, **options):  # pylint: disable=redefined-outer-name
        token = _read_text(sys.stdin if file == "-" else file)
        status_text = _read_text(status_list) if status_list else None
        verify_credential(self, token, issuer_key_paths=issuer_key, status_list_text=status_text, fetch=not offline, as_json=json)

    def handle_reverse(self, entry, reason, **options):
        # The one road for taking credit back (withdraw_credit, then api.reverse); an entry already
        # reversed is refused here, so a repeated command says so and appends nothing.
        original = Entry.objects.filter(pk=entry).first()
        if original is None:
            raise CommandError(_("There is no ledger entry {entry}; nothing was reversed.").format(entry=entry))
        already = Entry.objects.filter(reverses=original).first()
        if already is not None:
            raise CommandError(_("Entry {entry} is already reversed by entry {reversal}; nothing was appended.").format(
                entry=entry, reversal=already.pk))
        try:
            result = withdraw_credit(original, reason=reason)
        except InvalidInput as error:
            raise CommandError(_("Entry {entry} was not reversed: {problems}").format(
                entry=entry, problems=_rendered(error))) from None
        if not result.created:  # reversed by someone else between the check and the append
            raise CommandError(_("Entry {entry} is already reversed by entry {reversal}; nothing was appended.").format(
                entry=entry, reversal=result.entry.pk))
        self.stdout.write(_("Entry {entry} reversed by entry {reversal} ({points} points).").format(
            entry=entry, reversal=result.entry.pk, points=format_points(result.entry.points)))

    def handle_issue_credential(self, learner, period, framework, output=None, **options):
        problem = get_framework(framework).period_problem(period)
        if problem:
            raise InvalidInput([problem])
        try:
            issued = issue(learner, period, framework_id=framework, language=shipped_language())
        except NotRecognised:
            raise CommandError(_("Learner {learner} is not recognised for {period}: there is no credential to issue.").format(
                learner=learner, period=period)) from None
        except InvalidInput as error:
            raise CommandError(_("No credential was issued; this site cannot sign one yet:\n{problems}").format(
                problems=_rendered(error))) from None
        self._write_output(output, lambda out, _progress: out.write(issued.token + "\n"))
        self.stderr.write(_("Credential {credential} for learner {learner}, {period}, issued {issued_at}.").format(
            credential=issued.id, learner=learner, period=period, issued_at=issued.issued_at.isoformat()))

    def handle_export(self, period, format, output, course=None, indicator=None, provenance=None,  # pylint: disable=redefined-builtin
                      unit=None, community=None, commune=None, province=None, **options):
        problem = get_framework(DEFAULT_FRAMEWORK).period_problem(period) if period is not None else None
        if problem is not None:
            raise InvalidInput([problem])
        queryset = export_queryset(period, course=course, indicator=indicator, provenance=provenance,
                                   unit=unit, community=community, commune=commune, province=province)

        def total():
            return count_learners(queryset) if format == "ob3" else queryset.count()

        unit_name = _("learners") if format == "ob3" else _("entries")
        count = self._write_output(output, lambda out, progress: write_export(queryset, out, format, progress=progress, period=period),
                                   total, unit_name)
        if output:
            if format == "ob3":
                self.stderr.write(_("Exported {count} credentials to {file}.").format(count=count, file=output))
            else:
                self.stderr.write(_("Exported {count} entries to {file}.").format(count=count, file=output))

    def handle_import_members(self, file, **options):
        with _opened(file) as handle:
            try:
                result = import_members(handle)
            except InvalidInput as error:
                raise CommandError(_("{file} was not imported; nothing was changed. Fix these lines:\n{lines}").format(
                    file=file, lines=_rendered(error))) from None
        self.stdout.write(_("Members: {created} added, {updated} updated, {unchanged} unchanged; "
                            "{places} new communes or provinces, {groups} new families, clans, communities or units.").format(
            created=result.created, updated=result.updated, unchanged=result.unchanged,
            places=result.places_created, groups=result.groups_created))

    def handle_report(self, period, area, format, output, **options):  # pylint: disable=redefined-builtin
        def write(out, progress):
            report = build_report(period, area, progress=progress)
            if format == "csv":
                write_csv(report, out)
            else:
                out.write(render_html(report))
            return report

        report = self._write_output(output, write, lambda: count_population(area), _("members"))
        if output:
            self.stderr.write(_("Report on {count} members written to {file}.").format(count=report.progress.people, file=output))

    def _write_output(self, output, write, total=None, unit_name=""):
        """
        Run ``write(out, progress)`` into ``output`` (standard output when None) and return its result.
        ``total()`` counts the units of work for the progress bar; without it there is no bar.

        A file is written beside the target and renamed at the end: a failure leaves no half file.
        A progress bar goes to standard error when that is a terminal and the output is not.
        """
        show_progress = total is not None and sys.stderr.isatty() and (output or not sys.stdout.isatty())
        progress_bar = (lambda: tqdm(total=total(), unit=unit_name, file=sys.stderr)) if show_progress else nullcontext
        if not output:
            with progress_bar() as progress:
                return write(self.stdout._out, progress)  # pylint: disable=protected-access
        partial = f"{output}.partial"
        try:
            with open(partial, "w", encoding="utf-8", newline="") as out:
                with progress_bar() as progress:
                    result = write(out, progress)
            os.replace(partial, output)
        except OSError as error:
            if os.path.exists(partial):
                os.remove(partial)
            raise CommandError(_("Cannot write {file}: {reason}").format(file=output, reason=error.strerror)) from None
        except BaseException:
            if os.path.exists(partial):
                os.remove(partial)
            raise
        return result


def _read_text(file):
    """A small text file's content (or a stream's), as text; CommandError when unreadable."""
    if hasattr(file, "read"):
        return file.read()
    try:
        with open(file, encoding="utf-8") as handle:
            return handle.read(4 * 1024 * 1024)
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(_("Cannot read {file}: {reason}").format(file=file, reason=getattr(error, "strerror", None) or error)) from None


def _json_dumps(document):
    return json.dumps(document, ensure_ascii=False)  # indicators keep the framework's order


def whole_id(text):
    """A user or entry id as argparse reads it: a whole number the databases can hold (1 to 2**63 - 1)."""
    if not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > 19 or not 0 < int(text) <= MAX_ID:
        raise argparse.ArgumentTypeError(_("{value} is not a whole number from 1 to {maximum}").format(
            value=repr(text[:30]), maximum=MAX_ID))
    return int(text)


def _option_values(options):
    for value in options.values():
        yield from (value if isinstance(value, (list, tuple)) else [value])


def _rendered(error):
    """Every problem of an InvalidInput, one a line, in the active language."""
    return "\n".join(problem.render(_) for problem in error.problems)


@contextmanager
def _opened(file):
    """A binary stream for FILE, or standard input for "-"; a clear error when it cannot be read."""
    if file == "-":
        yield sys.stdin.buffer
        return
    try:
        handle = open(file, "rb")  # pylint: disable=consider-using-with
    except OSError as error:
        raise CommandError(_("Cannot read {file}: {reason}").format(file=file, reason=error.strerror)) from None
    with handle:
        yield handle
