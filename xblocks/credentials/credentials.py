"""
Issuing, revoking and verifying Learning Citizen credentials.

* :func:`issue` signs an OpenBadgeCredential when the ledger says the learner is recognised
  (the same ledger entries give back the same credential, not a new one);
* :func:`revoke_unsupported` revokes a learner's credentials for a period once the ledger no
  longer supports them (called after every reversal, see :mod:`.receivers`);
* :func:`status_list_token` is the signed Bitstring Status List a verifier downloads;
* :func:`verify` checks a credential: signature, issuer key, validity dates, revocation.
"""
import hashlib
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.utils import timezone

from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import N_, InvalidInput, Problem
from xblocks.ledger import api

from . import ob3, statuslist
from .keys import ALGORITHMS, MIN_RSA_BITS, IssuerKey, key_url, load_key_file, signing_key, thumbprint, trusted_keys
from .models import IssuedCredential, StatusList
from .settings import credential_settings

log = logging.getLogger(__name__)

DEFAULT_FRAMEWORK = "learning-citizen-2021-2030"
# A list is retired once this share of it is used: random free slots stay easy to find.
_FILL_LIMIT = 0.5
_FETCH_LIMIT = 2 * 1024 * 1024
_LEEWAY = 60  # seconds of clock difference tolerated on validFrom / validUntil


class NotRecognised(InvalidInput):
    """The ledger does not (or no longer) support the title for this learner and period."""


def status_list_url(base_url, list_id):
    return f"{base_url}{ob3.CREDENTIALS_PATH}/status/{list_id}"


def supporting_entries(user_id, period, framework_id):
    """The ledger entries (credits and reversals) a credential for this period is built from."""
    return list(api.entries(user_id=user_id, period=period, framework_id=framework_id))


def basis_of(entries):
    """SHA-256 over the entries' ids and chain hashes: changes whenever the figures could."""
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(f"{entry.pk}:{entry.entry_hash}\n".encode("ascii"))
    return digest.hexdigest()


def _open_list(size):
    """A status list with room, creating one when every list is past its fill limit."""
    for status_list in StatusList.objects.filter(size=size).order_by("-created_at")[:1]:
        if status_list.credentials.count() < size * _FILL_LIMIT:
            return status_list
    return StatusList.objects.create(size=size)


def _free_index(status_list):
    """A random unused index: neighbours in a list say nothing about who was issued when."""
    for _attempt in range(64):
        index = secrets.randbelow(status_list.size)
        if not IssuedCredential.objects.filter(status_list=status_list, status_index=index).exists():
            return index
    raise RuntimeError(f"no free index found in {status_list}")


def issue(user_id, period, *, framework_id=DEFAULT_FRAMEWORK, subject_name="", anonymous_id="", language="vi", now=None):
    """
    The learner's credential for ``period``: the one already issued from the same ledger entries,
    else a newly signed one. Raises :class:`NotRecognised` when the ledger does not support it,
    and InvalidInput when no signing key is configured.
    """
    framework = get_framework(framework_id)
    standing = api.standing(user_id, period, framework.id)
    if not standing.recognised:
        raise NotRecognised([Problem(N_("learner {learner} is not recognised for {period}"), {"learner": user_id, "period": period})])
    entries = supporting_entries(user_id, period, framework.id)
    basis = basis_of(entries)
    existing = (IssuedCredential.objects
                .filter(user_id=user_id, period=period, framework_id=framework.id, basis=basis, revoked_at__isnull=True)
                .order_by("-issued_at").first())
    if existing:
        return existing
    config = credential_settings()
    key = signing_key(config)
    kid = key_url(config["BASE_URL"], key.thumbprint)
    issued_at = now or timezone.now()
    valid_until = issued_at + timedelta(days=config["VALID_DAYS"]) if config["VALID_DAYS"] else None
    anonymous_id = anonymous_id or (entries[0].anonymous_id if entries else str(user_id))
    for _attempt in range(8):
        credential_id = uuid.uuid4()
        status_list = _open_list(config["STATUS_LIST_SIZE"])
        index = _free_index(status_list)
        document = ob3.build_credential(
            credential_id=credential_id,
            base_url=config["BASE_URL"],
            issuer={"id": config["ISSUER_ID"], "name": config["ISSUER_NAME"], "url": config["ISSUER_URL"]},
            framework=framework, standing=standing, entries=entries,
            subject={"anonymous_id": anonymous_id, "name": subject_name},
            issued_at=issued_at, valid_until=valid_until, language=language,
            status=statuslist.status_entry(status_list_url(config["BASE_URL"], status_list.id), index),
        )
        try:
            with transaction.atomic():
                return IssuedCredential.objects.create(
                    id=credential_id, user_id=user_id, framework_id=framework.id, framework_version=framework.version,
                    period=period, total=standing.total, basis=basis, key_id=key.thumbprint,
                    token=ob3.sign(document, key, kid), status_list=status_list, status_index=index, issued_at=issued_at,
                )
        except IntegrityError:  # another request took the same slot at the same moment
            continue
    raise RuntimeError("could not allocate a status list slot")


def revoke_unsupported(user_id, period, framework_id=DEFAULT_FRAMEWORK, reason=""):
    """Revoke the learner's credentials for ``period`` if the ledger no longer recognises them. Returns how many."""
    if api.standing(user_id, period, framework_id).recognised:
        return 0
    count = (IssuedCredential.objects
             .filter(user_id=user_id, period=period, framework_id=framework_id, revoked_at__isnull=True)
             .update(revoked_at=timezone.now(), revocation_reason=reason[:500]))
    if count:
        log.info("Revoked %s credential(s) of learner %s for %s: %s", count, user_id, period, reason)
    return count


def status_list_token(status_list, now=None):
    """The signed BitstringStatusListCredential for ``status_list``, as it stands now."""
    config = credential_settings()
    key = signing_key(config)
    revoked = IssuedCredential.objects.filter(status_list=status_list, revoked_at__isnull=False).values_list("status_index", flat=True)
    document = statuslist.list_credential(
        list_url=status_list_url(config["BASE_URL"], status_list.id), issuer_id=config["ISSUER_ID"],
        valid_from=ob3.iso(now or timezone.now()), revoked_indexes=list(revoked), size=status_list.size)
    return ob3.sign(document, key, key_url(config["BASE_URL"], key.thumbprint))


# ---------------------------------------------------------------------------------------------
# Verification


@dataclass
class Verification:
    """What :func:`verify` found. ``valid`` covers signature, key and dates; ``revoked`` may be None (unknown)."""

    valid: bool = False
    key_source: str = ""          # configured | given | published
    key_thumbprint: str = ""
    algorithm: str = ""
    issuer_id: str = ""
    issuer_name: str = ""
    credential_id: str = ""
    name: str = ""
    period: str = ""
    total: str = ""
    revoked: bool | None = None
    status_source: str = ""
    problems: list = field(default_factory=list)
    document: dict | None = None

    def as_dict(self):
        return {
            "valid": self.valid, "revoked": self.revoked, "key_source": self.key_source, "key": self.key_thumbprint,
            "algorithm": self.algorithm,
            "issuer": {"id": self.issuer_id, "name": self.issuer_name}, "credential": self.credential_id,
            "name": self.name, "period": self.period, "total": self.total, "status_source": self.status_source,
            "problems": [str(problem) for problem in self.problems],
        }


class _Failed(Exception):
    def __init__(self, template, **params):
        super().__init__(template)
        self.problem = Problem(template, params)


def _fetch(url, timeout):
    """GET ``url`` (http or https only), at most 2 MiB; returns text."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise _Failed(N_("cannot fetch {url}: only http and https addresses are fetched"), url=url)
    request = urllib.request.Request(url, headers={"Accept": "application/json, application/jwt, */*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310 - scheme checked above
            body = response.read(_FETCH_LIMIT + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise _Failed(N_("cannot fetch {url}: {reason}"), url=url, reason=getattr(error, "reason", error)) from None
    if len(body) > _FETCH_LIMIT:
        raise _Failed(N_("{url} answered with more than 2 MiB"), url=url)
    return body.decode("utf-8", "replace").strip()


def _origin(url):
    parts = urllib.parse.urlsplit(url or "")
    return (parts.scheme.lower(), parts.netloc.lower())


def _unb64url(text):
    import base64  # pylint: disable=import-outside-toplevel
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _public_key_from_jwk(members):
    """The public key of an Ed25519 (OKP) or RSA JWK, or _Failed."""
    try:
        if members.get("kty") == "OKP" and members.get("crv") == "Ed25519" and isinstance(members.get("x"), str):
            return Ed25519PublicKey.from_public_bytes(_unb64url(members["x"]))
        if members.get("kty") == "RSA" and isinstance(members.get("n"), str) and isinstance(members.get("e"), str):
            public = rsa.RSAPublicNumbers(int.from_bytes(_unb64url(members["e"]), "big"),
                                          int.from_bytes(_unb64url(members["n"]), "big")).public_key()
            if public.key_size >= MIN_RSA_BITS:
                return public
    except (ValueError, TypeError):
        pass
    raise _Failed(N_("the published key is not an Ed25519 or RSA (2048 bits or more) JWK"))


def _unverified_parts(token):
    try:
        header = jwt.get_unverified_header(token)
        payload = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise _Failed(N_("this is not a VC-JWT credential (a signed JSON Web Token)")) from None
    if header.get("alg") not in ALGORITHMS:
        raise _Failed(N_("the credential is signed with {alg}; only EdDSA (Ed25519) and RS256 (RSA) are accepted"), alg=header.get("alg"))
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise _Failed(N_("the credential does not name its signing key (no kid)"))
    return header, payload


def _issuer_of(payload):
    issuer = payload.get("issuer")
    return (issuer.get("id", ""), issuer.get("name", "")) if isinstance(issuer, dict) else (issuer or "", "")


def _resolve_key(kid, issuer_id, given_keys, fetch, timeout):
    """(IssuerKey, source) for ``kid``: a key given, this site's keys, or the one the issuer publishes."""
    wanted = kid.rstrip("/").rsplit("/", 1)[-1]
    for key in given_keys:
        if key.thumbprint == wanted:
            return key, "given"
    if given_keys:
        raise _Failed(N_("the credential was not signed with the key given ({kid})"), kid=kid)
    local = trusted_keys()
    if wanted in local:
        return local[wanted], "configured"
    if not fetch:
        raise _Failed(N_("the signing key {kid} is not one of this site's keys (give the issuer's key, or allow fetching)"), kid=kid)
    if _origin(kid) != _origin(issuer_id) or not _origin(kid)[1]:
        raise _Failed(N_("the signing key {kid} is not published by the issuer {issuer}"), kid=kid, issuer=issuer_id)
    try:
        members = json.loads(_fetch(kid, timeout))
    except json.JSONDecodeError:
        raise _Failed(N_("{url} did not answer with a JSON key"), url=kid) from None
    public = _public_key_from_jwk(members if isinstance(members, dict) else {})
    if thumbprint(public) != wanted:
        raise _Failed(N_("the key published at {kid} is not the key the credential names"), kid=kid)
    return IssuerKey(public), "published"


def _check_signature(token, key):
    # A key verifies only with its own algorithm: a header naming another is refused, not tried.
    if jwt.get_unverified_header(token).get("alg") != key.algorithm:
        raise _Failed(N_("the credential says it is signed with {alg}, but its key {key} is a key for {key_algorithm}"),
                      alg=jwt.get_unverified_header(token).get("alg"), key=key.thumbprint, key_algorithm=key.algorithm)
    try:
        return jwt.decode(token, key.public_key, algorithms=[key.algorithm], leeway=_LEEWAY,
                          options={"require": ["iss", "jti", "nbf"], "verify_aud": False})
    except jwt.ExpiredSignatureError:
        raise _Failed(N_("the credential has expired")) from None
    except jwt.ImmatureSignatureError:
        raise _Failed(N_("the credential is not valid yet")) from None
    except jwt.InvalidSignatureError:
        raise _Failed(N_("the signature does not match: the credential was changed or not signed by this key")) from None
    except jwt.PyJWTError as error:
        raise _Failed(N_("the credential is not a valid VC-JWT: {reason}"), reason=str(error)) from None


def _check_document(payload, issuer_id):
    types = payload.get("type") or []
    if "VerifiableCredential" not in types or not {"OpenBadgeCredential", "AchievementCredential"} & set(types):
        raise _Failed(N_("the signed document is not an OpenBadgeCredential"))
    if payload.get("iss") != issuer_id:
        raise _Failed(N_("the JWT issuer {iss} differs from the credential's issuer {issuer}"), iss=payload.get("iss"), issuer=issuer_id)
    if payload.get("jti") != payload.get("id"):
        raise _Failed(N_("the JWT id differs from the credential's id"))


def _local_status_list(list_url):
    """This site's StatusList for ``list_url``, or None."""
    config = credential_settings()
    prefix = status_list_url(config["BASE_URL"], "")
    if not list_url.startswith(prefix):
        return None
    try:
        return StatusList.objects.filter(id=uuid.UUID(list_url[len(prefix):])).first()
    except ValueError:
        return None


def _check_status(payload, issuer_id, report, given_keys, status_list_token_text, fetch, timeout):
    status = payload.get("credentialStatus")
    if not isinstance(status, dict):
        report.problems.append(Problem(N_("the credential has no revocation status to check")))
        return
    if status.get("type") != "BitstringStatusListEntry" or status.get("statusPurpose") != "revocation":
        report.problems.append(Problem(N_("unsupported credential status {type}"), {"type": status.get("type")}))
        return
    list_url = status.get("statusListCredential", "")
    try:
        index = int(status.get("statusListIndex", ""))
    except ValueError:
        report.problems.append(Problem(N_("the credential's status index is not a number")))
        return
    try:
        if status_list_token_text:
            token, source = status_list_token_text, "given"
        elif (local := _local_status_list(list_url)) is not None:
            token, source = status_list_token(local), "local"
        elif fetch:
            token, source = _fetch(list_url, timeout), "published"
        else:
            raise _Failed(N_("the status list {url} is not on this site (give it as a file, or allow fetching)"), url=list_url)
        header, list_payload = _unverified_parts(token)
        list_issuer = list_payload.get("issuer")
        list_issuer = list_issuer.get("id") if isinstance(list_issuer, dict) else list_issuer
        if list_issuer != issuer_id:
            raise _Failed(N_("the status list was issued by {other}, not by the credential's issuer"), other=list_issuer)
        if list_payload.get("id") != list_url:
            raise _Failed(N_("the status list given is {other}, not the credential's list {url}"), other=list_payload.get("id"), url=list_url)
        key, _source = _resolve_key(header["kid"], issuer_id, given_keys, fetch, timeout)
        verified = _check_signature(token, key)
        subject = verified.get("credentialSubject") or {}
        if subject.get("statusPurpose") != "revocation":
            raise _Failed(N_("the status list is not a revocation list"))
        report.revoked = statuslist.bit_is_set(statuslist.decode(subject.get("encodedList")), index)
        report.status_source = f"{source}: {list_url}"
    except _Failed as failure:
        report.problems.append(failure.problem)
    except InvalidInput as error:
        report.problems.extend(error.problems)


def verify(token, *, issuer_key_paths=(), status_list_text=None, fetch=True, timeout=10.0):
    """
    Check a compact VC-JWT credential. Never raises for a bad credential: the problems are in the
    returned :class:`Verification` (InvalidInput only for an unreadable key file given).
    """
    given_keys = [load_key_file(path) for path in issuer_key_paths]
    report = Verification()
    token = (token or "").strip()
    try:
        header, unverified = _unverified_parts(token)
        report.issuer_id, report.issuer_name = _issuer_of(unverified)
        key, report.key_source = _resolve_key(header["kid"], report.issuer_id, given_keys, fetch, timeout)
        report.key_thumbprint, report.algorithm = key.thumbprint, key.algorithm
        payload = _check_signature(token, key)
        _check_document(payload, report.issuer_id)
    except _Failed as failure:
        report.problems.append(failure.problem)
        return report
    report.valid = True
    report.document = payload
    report.credential_id = payload.get("id", "")
    report.name = payload.get("name", "")
    subject = payload.get("credentialSubject") or {}
    report.period = str(subject.get("term", ""))
    report.total = "" if subject.get("creditsEarned") is None else str(subject.get("creditsEarned"))
    _check_status(payload, report.issuer_id, report, given_keys, status_list_text, fetch, timeout)
    return report
