"""
Open Badges 3.0: the OpenBadgeCredential for a learner recognised in one period (pure functions).

The document follows the 1EdTech Open Badges 3.0 data model on the W3C Verifiable Credentials
2.0 context: the Achievement is the title for the period, aligned to the criteria framework and
each of its indicators; the subject's results give the points per indicator and the total; the
evidence is one item per ledger entry behind the figures. :func:`sign` wraps it as a VC-JWT
(OB 3.0 §8.2: the credential is the JWT payload, with ``iss``/``jti``/``nbf``/``exp`` claims)
with EdDSA over Ed25519 or RS256, as the site's settings choose.

The exports engineer's ``--format ob3`` can call :func:`build_credential` directly.
"""
import uuid
from datetime import timezone

import jwt

from xblocks.criteria.language import localised
from xblocks.criteria.standing import format_points

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
CREDENTIALS_PATH = "/learning-citizen/credentials"

# The few sentences a credential carries, in the languages the suite ships. They are part of a
# signed document, not of a page, so they are data here rather than gettext messages.
TEXTS = {
    "vi": {
        "name": "{title} năm {period}",
        "description": "Được công nhận danh hiệu \"{title}\" cho kỳ đánh giá {period} theo bộ tiêu chí {framework} (phiên bản {version}).",
        "criteria": ("Tổng điểm của các chỉ số từ {min_total} trên {max_total} trở lên và không chỉ số nào dưới mức tối thiểu "
                     "của chỉ số đó ({min_indicator}), tính từ sổ ghi nhận tín chỉ trong kỳ {period}."),
        "indicator": "Chỉ số {code}: {title}",
        "total": "Tổng điểm",
        "credit": "Bút toán {entry}: chỉ số {indicator}, {points} điểm",
        "reversal": "Bút toán {entry}: hủy bút toán {original}, chỉ số {indicator}, {points} điểm",
        "narrative": "Nguồn: {source}. Xác thực: {provenance}. Mức bảo đảm: {assurance}. Thời điểm: {occurred}.",
        "ledger": "Sổ ghi nhận: chuỗi {chain}, vị trí {position}, SHA-256 {hash}.",
        "sources": "Minh chứng: {uris}.",
        "reason": "Lý do: {reason}.",
    },
    "en": {
        "name": "{title} {period}",
        "description": "Recognised with the \"{title}\" title for the {period} assessment period under the {framework} criteria (version {version}).",
        "criteria": ("A total of at least {min_total} out of {max_total} points, with no indicator below its own minimum "
                     "({min_indicator}), counted from the credit ledger for {period}."),
        "indicator": "Indicator {code}: {title}",
        "total": "Total points",
        "credit": "Ledger entry {entry}: indicator {indicator}, {points} points",
        "reversal": "Ledger entry {entry}: reverses entry {original}, indicator {indicator}, {points} points",
        "narrative": "Source: {source}. Provenance: {provenance}. Assurance: {assurance}. Occurred: {occurred}.",
        "ledger": "Ledger: chain {chain}, position {position}, SHA-256 {hash}.",
        "sources": "Evidence: {uris}.",
        "reason": "Reason: {reason}.",
    },
}


def iso(moment):
    """An aware datetime as RFC 3339 UTC with a Z, no fraction (what VC DateTime readers expect)."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def framework_url(base_url, framework):
    return f"{base_url}{CREDENTIALS_PATH}/frameworks/{framework.id}/{framework.version}"


def achievement_id(base_url, framework, period):
    return f"{base_url}{CREDENTIALS_PATH}/achievements/{framework.id}/{framework.version}/{period}"


def _alignments(base_url, framework, language):
    title = localised(framework.title, language)
    target_framework = f"{title} ({framework.id} {framework.version})"
    url = framework_url(base_url, framework)
    whole = {
        "type": ["Alignment"],
        "targetName": title,
        "targetUrl": url,
        "targetFramework": target_framework,
        "targetType": "ext:CriteriaFramework",
    }
    per_indicator = {
        indicator.code: {
            "type": ["Alignment"],
            "targetName": TEXTS[language]["indicator"].format(code=indicator.code, title=localised(indicator.title, language)),
            "targetUrl": f"{url}#indicator-{indicator.code}",
            "targetCode": indicator.code,
            "targetFramework": target_framework,
            "targetType": "ext:CriteriaIndicator",
        }
        for indicator in framework.indicators
    }
    return whole, per_indicator


def build_achievement(*, base_url, framework, period, language="vi"):
    """The Achievement: the title for one period, with one ResultDescription per indicator and the total."""
    texts = TEXTS[language]
    title = localised(framework.title, language)
    the_id = achievement_id(base_url, framework, period)
    whole, per_indicator = _alignments(base_url, framework, language)
    minimums = sorted({indicator.min_points for indicator in framework.indicators})
    descriptions = [
        {
            "id": f"{the_id}#indicator-{indicator.code}",
            "type": ["ResultDescription"],
            "name": per_indicator[indicator.code]["targetName"],
            "resultType": "RawScore",
            "valueMin": "0",
            "valueMax": format_points(indicator.max_points),
            "requiredValue": format_points(indicator.min_points),
            "alignment": [per_indicator[indicator.code]],
        }
        for indicator in framework.indicators
    ]
    descriptions.append({
        "id": f"{the_id}#total",
        "type": ["ResultDescription"],
        "name": texts["total"],
        "resultType": "RawScore",
        "valueMin": "0",
        "valueMax": format_points(framework.max_total),
        "requiredValue": format_points(framework.min_total),
        "alignment": [whole],
    })
    return {
        "id": the_id,
        "type": ["Achievement"],
        "achievementType": "Award",
        "name": texts["name"].format(title=title, period=period),
        "description": texts["description"].format(title=title, period=period, framework=framework.id, version=framework.version),
        "criteria": {
            "id": framework_url(base_url, framework),
            "narrative": texts["criteria"].format(
                min_total=format_points(framework.min_total), max_total=format_points(framework.max_total),
                min_indicator="/".join(format_points(value) for value in minimums), period=period),
        },
        "alignment": [whole, *per_indicator.values()],
        "creditsAvailable": float(framework.max_total),
        "resultDescription": descriptions,
        "inLanguage": language,
        "version": framework.version,
        "tag": [framework.id, period],
    }


def build_evidence(entry, language="vi"):
    """One ledger entry as an OB 3.0 Evidence item: what, where from, how sure, and its chain link."""
    texts = TEXTS[language]
    points = format_points(entry.points)
    if entry.kind == "reversal":
        name = texts["reversal"].format(entry=entry.pk, original=entry.reverses_id, indicator=entry.indicator, points=points)
    else:
        name = texts["credit"].format(entry=entry.pk, indicator=entry.indicator, points=points)
    source = " ".join(part for part in (entry.source_kind, entry.course_key, entry.usage_key) if part)
    narrative = [texts["narrative"].format(source=source, provenance=entry.provenance, assurance=entry.assurance,
                                           occurred=iso(entry.occurred_at))]
    uris = [item.get("uri") for item in (entry.evidence or []) if isinstance(item, dict) and item.get("uri")]
    if uris:
        narrative.append(texts["sources"].format(uris=", ".join(uris)))
    if getattr(entry, "reason", ""):
        narrative.append(texts["reason"].format(reason=entry.reason))
    return {
        "id": f"urn:uuid:{entry.event_id}",
        "type": ["Evidence"],
        "name": name,
        "narrative": " ".join(narrative),
        "description": texts["ledger"].format(chain=entry.chain, position=entry.position, hash=entry.entry_hash),
        "genre": entry.source_kind,
    }


def subject_id(issuer_id, anonymous_id):
    """
    The learner's ``credentialSubject.id`` (and so the JWT ``sub``, VC Data Model 1.1 §6.3.1): a
    name-based UUID of the issuer and the learner's anonymous id. It is the same in every credential
    this issuer gives the learner, and tells nothing of the platform's user id.
    """
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{issuer_id}#{anonymous_id}')}"


def build_credential(*, credential_id, base_url, issuer, framework, standing, entries, subject, issued_at,
                     status=None, valid_until=None, language="vi"):
    """
    The OpenBadgeCredential document (unsigned).

    ``issuer``: ``{"id", "name", "url"}``; ``subject``: ``{"anonymous_id", "name" (optional)}``;
    ``standing``: the learner's :class:`~xblocks.criteria.standing.Standing` for the period;
    ``entries``: the ledger entries behind it; ``status``: a ``credentialStatus`` entry or None.
    """
    achievement = build_achievement(base_url=base_url, framework=framework, period=standing.period, language=language)
    identifiers = [{"type": "IdentityObject", "identityType": "systemId", "hashed": False, "identityHash": subject["anonymous_id"]}]
    if subject.get("name"):
        identifiers.insert(0, {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": subject["name"]})
    results = [
        {"type": ["Result"], "resultDescription": f"{achievement['id']}#indicator-{indicator.code}", "value": format_points(indicator.points)}
        for indicator in standing.indicators
    ]
    results.append({"type": ["Result"], "resultDescription": f"{achievement['id']}#total", "value": format_points(standing.total),
                    "status": "Completed"})
    document = {
        "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "description": achievement["description"],
        "issuer": {"id": issuer["id"], "type": ["Profile"], "name": issuer["name"], **({"url": issuer["url"]} if issuer.get("url") else {})},
        "validFrom": iso(issued_at),
        "awardedDate": iso(issued_at),
        "credentialSubject": {
            "id": subject_id(issuer["id"], subject["anonymous_id"]),
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": achievement,
            "creditsEarned": float(standing.total),
            "result": results,
            "term": standing.period,
        },
        "evidence": [build_evidence(entry, language) for entry in entries],
        "credentialSchema": [OB3_SCHEMA],
    }
    if valid_until is not None:
        document["validUntil"] = iso(valid_until)
    if status is not None:
        document["credentialStatus"] = status
    return document


def jwt_claims(document):
    """The registered JWT claims OB 3.0 §8.2 derives from the credential."""
    from datetime import datetime  # pylint: disable=import-outside-toplevel
    claims = {
        "iss": document["issuer"]["id"] if isinstance(document["issuer"], dict) else document["issuer"],
        "jti": document["id"],
        "nbf": int(datetime.fromisoformat(document["validFrom"].replace("Z", "+00:00")).timestamp()),
    }
    if "validUntil" in document:
        claims["exp"] = int(datetime.fromisoformat(document["validUntil"].replace("Z", "+00:00")).timestamp())
    subject = document.get("credentialSubject", {})
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    return claims


def sign(document, key, kid):
    """The document as a compact VC-JWT signed with ``key`` (an :class:`~.keys.IssuerKey` with its private key)."""
    payload = {**document, **jwt_claims(document)}
    return jwt.encode(payload, key.private_key, algorithm=key.algorithm, headers={"kid": kid, "typ": "JWT"})
