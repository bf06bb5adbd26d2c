"""
The evidence policy (data in ``fixtures/evidence-policies/``) and the checks on what a learner
declares. No Django, no XBlock: the handlers, declarations and review and the tests share these rules.

Every check answers with :class:`~xblocks.criteria.problems.Problem` objects whose ``where`` is
the form field at fault, so the block can show each message next to its field and in the error
summary, in the learner's language.
"""
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

from jsonschema import FormatChecker

from xblocks.criteria.documents import fixture_names, load_fixture
from xblocks.criteria.frameworks import as_points, get_framework
from xblocks.criteria.problems import N_, InvalidInput, Problem

POLICIES_FOLDER = "evidence-policies"
DEFAULT_POLICY = "learning-citizen-declared"

# Kinds of activity a learner can declare. The policy chooses which are offered; the labels are
# interface text (translated), so they live here and not in the data.
KIND_LABELS = {
    "course-elsewhere": N_("Course taken elsewhere"),
    "certificate": N_("Certificate"),
    "reading": N_("Reading"),
    "club-or-seminar": N_("Club or seminar"),
    "community-activity": N_("Community activity"),
    "other": N_("Other"),
}

# What the form fields are called, for the handlers and the error summary.
FIELDS = ("indicators", "kind", "title", "activity_date", "hours", "description", "links", "files")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
_POINTS = re.compile(r"^[0-9]{1,4}(?:\.[0-9]{1,2})?$")
_HOURS = re.compile(r"^[0-9]{1,6}(?:[.,][0-9]{1,2})?$")
# What a date field sends: year-month-day. date.fromisoformat alone (3.11+) also reads week and
# ordinal dates (2026-W05, 2026-026) and 20260315, which no learner means.
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_LINK_LENGTH = 500
# The same check the credit-event schema applies to evidence URIs.
_URI_CHECKER = FormatChecker()


@dataclass(frozen=True)
class Policy:
    id: str
    version: str
    framework_id: str
    kinds: tuple
    default_cap: Decimal
    caps: dict
    max_hours: Decimal
    max_age_days: int
    max_files: int
    max_file_bytes: int
    file_types: tuple
    max_links: int
    title_max: int
    description_max: int
    reason_max: int
    duplicates: dict
    declarations_per_period: int
    bytes_per_period: int

    @classmethod
    def from_document(cls, document):
        per_period = dict(document["caps"]["per_period"])
        default_cap = as_points(per_period.pop("default"))
        framework = get_framework(document["framework"])
        unknown = sorted(code for code in per_period if framework.indicator(code) is None)
        if unknown:
            raise InvalidInput([Problem(N_("policy {policy} caps unknown indicators {codes}"),
                                        {"policy": document["id"], "codes": ", ".join(unknown)})])
        return cls(
            id=document["id"], version=document["version"], framework_id=framework.id,
            kinds=tuple(document["kinds"]), default_cap=default_cap,
            caps={code: as_points(value) for code, value in per_period.items()},
            max_hours=as_points(document["hours"]["max_per_declaration"]),
            max_age_days=document["dates"]["max_age_days"],
            max_files=document["files"]["max_count"], max_file_bytes=document["files"]["max_bytes"],
            file_types=tuple(document["files"]["types"]), max_links=document["links"]["max_count"],
            title_max=document["text"]["title_max"], description_max=document["text"]["description_max"],
            reason_max=document["text"]["reason_max"], duplicates=dict(document["duplicates"]),
            declarations_per_period=document["limits"]["declarations_per_period"],
            bytes_per_period=document["limits"]["bytes_per_period"],
        )

    @property
    def framework(self):
        return get_framework(self.framework_id)

    def period_cap(self, indicator):
        """Most points declarations may earn for ``indicator`` in one period: the policy's cap, never above the framework's."""
        framework_max = self.framework.indicator(indicator).max_points
        return min(self.caps.get(indicator, self.default_cap), framework_max)


@lru_cache(maxsize=None)
def available_policies():
    policies = {}
    for name in fixture_names(POLICIES_FOLDER):
        policy = Policy.from_document(load_fixture(f"{POLICIES_FOLDER}/{name}", "evidence-policy"))
        policies[policy.id] = policy
    return policies


def get_policy(policy_id):
    policy = available_policies().get(policy_id)
    if policy is None:
        raise InvalidInput([Problem(N_("Unknown evidence policy \"{policy}\"."), {"policy": policy_id})])
    return policy


def clean_text(value, *, multiline=False):
    """Text as stored: NFC (one spelling of each Vietnamese letter), no control or bidi-override characters."""
    text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not multiline:
        text = _SPACES.sub(" ", text)
    return text.strip()


def activity_fingerprint(kind, activity_date, title):
    """What makes two declarations 'the same activity': its kind, its date and its name, ignoring case and spacing."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", title).casefold()).strip()
    return hashlib.sha256(f"{kind}|{activity_date.isoformat()}|{name}".encode("utf-8")).hexdigest()


def latest_date_anywhere(now=None):
    """
    The latest calendar date anywhere on Earth (UTC+14). A learner's "today" is never later, so a
    date after it is in the future for everyone, whatever time zone the site runs in.
    """
    now = now or datetime.now(timezone.utc)
    return (now.astimezone(timezone.utc) + timedelta(hours=14)).date()


@dataclass(frozen=True)
class CleanDeclaration:
    indicators: tuple
    kind: str
    title: str
    activity_date: date
    hours: Decimal
    description: str
    links: tuple

    @property
    def fingerprint(self):
        return activity_fingerprint(self.kind, self.activity_date, self.title)


def _problem(template, where, **params):
    return Problem(template, params, where=where)


def _clean_hours(raw, policy, problems):
    text = str(raw if raw is not None else "").strip().replace(" ", "")
    if not text:
        problems.append(_problem(N_("Enter the hours the activity took (0 if none)."), "hours"))
        return None
    if text.startswith("-"):
        problems.append(_problem(N_("Hours cannot be negative."), "hours"))
        return None
    if not _HOURS.match(text):
        problems.append(_problem(N_("Enter the hours as a number, for example 2 or 1.5."), "hours"))
        return None
    try:
        hours = as_points(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        problems.append(_problem(N_("Enter the hours as a number, for example 2 or 1.5."), "hours"))
        return None
    if hours > policy.max_hours:
        problems.append(_problem(N_("One declaration can count at most {maximum} hours."), "hours",
                                 maximum=_plain(policy.max_hours)))
        return None
    return hours


def _clean_date(raw, policy, problems, today):
    text = str(raw or "").strip()
    if not text:
        problems.append(_problem(N_("Enter the date of the activity."), "activity_date"))
        return None
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        value = date.fromisoformat(text)
    except ValueError:
        problems.append(_problem(N_("Enter the date as year-month-day, for example 2026-03-15."), "activity_date"))
        return None
    if value > today:
        problems.append(_problem(N_("The date cannot be in the future."), "activity_date"))
        return None
    if value < today - timedelta(days=policy.max_age_days):
        problems.append(_problem(N_("The activity is too old: only activities from the last {days} days can be declared."),
                                 "activity_date", days=policy.max_age_days))
        return None
    return value


def normalise_link(link):
    """
    A web address as a valid URI (RFC 3986), or None: the host in IDNA, anything outside the URI
    character set percent-encoded (Vietnamese letters, spaces, angle brackets). Only http(s), no
    user name or password in it.
    """
    if len(link) > MAX_LINK_LENGTH:
        return None
    try:
        parts = urlsplit(link)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username or parts.password:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    netloc = host if port is None else f"{host}:{port}"
    safe = "/:@!$&'()*+,;=-._~%"
    uri = urlunsplit((parts.scheme.lower(), netloc, quote(parts.path, safe=safe), quote(parts.query, safe=safe + "?"),
                      quote(parts.fragment, safe=safe + "?")))
    if not _URI_CHECKER.conforms(uri, "uri") or len(uri) > MAX_LINK_LENGTH:
        return None
    return uri


def clean_links(raw, policy, problems):
    """Links, one per line: http(s) addresses only (no javascript:, data: or credentials), stored as valid URIs."""
    lines = raw if isinstance(raw, (list, tuple)) else str(raw or "").splitlines()
    links = []
    for line in lines:
        link = clean_text(line)
        if not link:
            continue
        uri = normalise_link(link)
        if uri is None:
            problems.append(_problem(N_("\"{link}\" is not a web address starting with http:// or https://."), "links",
                                     link=link[:80]))
            continue
        if uri not in links:
            links.append(uri)
    if len(links) > policy.max_links:
        problems.append(_problem(N_("Give at most {maximum} links."), "links", maximum=policy.max_links))
    return tuple(links)


def clean_declaration(raw, *, policy, offered_indicators, today=None):
    """
    Check a learner's declaration (a dict of form values) and return a :class:`CleanDeclaration`,
    or raise :class:`InvalidInput` with one problem per faulty field. Files are checked apart
    (:mod:`xblocks.evidence.filetypes`), after the fields.
    """
    today = today or latest_date_anywhere()
    problems = []
    framework = policy.framework
    chosen = []
    for code in raw.get("indicators") or ():
        code = str(code).strip()
        if code and code not in chosen:
            chosen.append(code)
    if not chosen:
        problems.append(_problem(N_("Choose at least one indicator this activity supports."), "indicators"))
    for code in chosen:
        if framework.indicator(code) is None or code not in offered_indicators:
            problems.append(_problem(N_("Indicator \"{indicator}\" cannot be chosen here."), "indicators", indicator=code[:20]))
    kind = str(raw.get("kind") or "").strip()
    if kind not in policy.kinds:
        problems.append(_problem(N_("Choose the kind of activity."), "kind"))
    title = clean_text(raw.get("title"))
    if not title:
        problems.append(_problem(N_("Give the activity a name."), "title"))
    elif len(title) > policy.title_max:
        problems.append(_problem(N_("The name is too long: at most {maximum} characters."), "title", maximum=policy.title_max))
    activity_date = _clean_date(raw.get("activity_date"), policy, problems, today)
    hours = _clean_hours(raw.get("hours"), policy, problems)
    description = clean_text(raw.get("description"), multiline=True)
    if not description:
        problems.append(_problem(N_("Describe what you did and learned."), "description"))
    elif len(description) > policy.description_max:
        problems.append(_problem(N_("The description is too long: at most {maximum} characters."), "description",
                                 maximum=policy.description_max))
    links = clean_links(raw.get("links"), policy, problems)
    if problems:
        raise InvalidInput(problems)
    order = [indicator.code for indicator in framework.indicators]
    return CleanDeclaration(
        indicators=tuple(sorted(chosen, key=order.index)), kind=kind, title=title, activity_date=activity_date,
        hours=hours, description=description, links=links,
    )


def clean_reason(raw, policy, *, required):
    reason = clean_text(raw, multiline=True)
    if required and not reason:
        raise InvalidInput([_problem(N_("Give a reason the learner will read."), "reason")])
    if len(reason) > policy.reason_max:
        raise InvalidInput([_problem(N_("The reason is too long: at most {maximum} characters."), "reason",
                                     maximum=policy.reason_max)])
    return reason


def clean_points(raw, *, indicators, remaining):
    """
    The points a reviewer awards, ``{indicator: Decimal}``: one value per declared indicator, each
    from 0 to the room left on it for this learner (``remaining``: the indicator's maximum less
    what already counts, and the policy's cap for declarations), and more than 0 in total. Points
    above the room left are refused, not trimmed: the reviewer decides again, knowing.
    """
    problems, points = [], {}
    raw = raw if isinstance(raw, dict) else {}
    for code in raw:
        if code not in indicators:
            problems.append(_problem(N_("Indicator \"{indicator}\" is not part of this declaration."), "points",
                                     indicator=str(code)[:20]))
    for code in indicators:
        where = f"points-{code}"
        text = str(raw.get(code, "")).strip().replace(",", ".")
        if not text:
            points[code] = Decimal("0.00")
            continue
        if text.startswith("-"):
            problems.append(_problem(N_("Points for indicator {indicator} cannot be negative."), where, indicator=code))
            continue
        if not _POINTS.match(text):
            problems.append(_problem(N_("Points for indicator {indicator} must be a number."), where, indicator=code))
            continue
        value = as_points(text)
        if value > remaining[code] and remaining[code] <= 0:
            problems.append(_problem(N_("Indicator {indicator} is full for this learner this period: points given here would not count. "
                                        "Leave it empty."), where, indicator=code))
        elif value > remaining[code]:
            problems.append(_problem(N_("Indicator {indicator} has room for at most {maximum} more points for this learner this "
                                        "period: more would not count."), where, indicator=code, maximum=_plain(remaining[code])))
        else:
            points[code] = value
    if not problems and sum(points.values(), Decimal("0")) <= 0:
        if all(remaining[code] <= 0 for code in indicators):
            problems.append(_problem(N_("This learner's indicators here are full this period: no points can count. "
                                        "Reject the declaration with a reason instead."), "points"))
        else:
            problems.append(_problem(N_("Award more than 0 points, or reject the declaration instead."), "points"))
    if problems:
        raise InvalidInput(problems)
    return points


def _plain(value):
    text = f"{Decimal(value):.2f}"
    return text.rstrip("0").rstrip(".")
