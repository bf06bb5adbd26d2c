"""
What the standing page calls a declaration's credit and its files: the declaration's title and
the file's own name, never the ``declaration:<uuid>`` key or a ``urn:uuid:``; and what the
evidence policy allows declaring for an indicator. Registered with :mod:`xblocks.common.places`
when Django starts (:class:`~xblocks.evidence.apps.EvidenceConfig`).
"""
import uuid

from xblocks.common.places import AllowedDeclarations, Directory

from .credit import SOURCE_KIND
from .policy import DEFAULT_POLICY, KIND_LABELS, get_policy

URN_PREFIX = "urn:uuid:"


def _declaration_uuid(key):
    """The declaration's uuid in its credit key ``declaration:<uuid>:<indicator>`` (None for another key)."""
    parts = (key or "").split(":")
    if len(parts) != 3 or parts[0] != SOURCE_KIND:
        return None
    try:
        return uuid.UUID(parts[1])
    except ValueError:
        return None


class EvidenceDirectory(Directory):
    """Declarations' titles and files' names from the evidence tables; the default policy's allowances."""

    def credit_titles(self, entries):
        from .models import Declaration  # pylint: disable=import-outside-toplevel
        wanted = {}
        for entry in entries:
            if entry.source_kind != SOURCE_KIND:
                continue
            credited = entry.reverses if entry.reverses_id else entry
            found = _declaration_uuid(credited.idempotency_key)
            if found is not None:
                wanted[entry.pk] = found
        titles = dict(Declaration.objects.filter(uuid__in=set(wanted.values())).values_list("uuid", "title"))
        return {pk: titles[found] for pk, found in wanted.items() if found in titles}

    def evidence_names(self, uris):
        from .models import EvidenceFile  # pylint: disable=import-outside-toplevel
        wanted = {}
        for uri in uris:
            if uri.startswith(URN_PREFIX):
                try:
                    wanted[uri] = uuid.UUID(uri[len(URN_PREFIX):])
                except ValueError:
                    continue
        names = dict(EvidenceFile.objects.filter(uuid__in=set(wanted.values())).values_list("uuid", "original_name"))
        return {uri: names[found] for uri, found in wanted.items() if found in names}

    def declarations_allowed(self, framework_id, indicator):
        """The site's default evidence policy (the one evidence blocks use unless an author picks another)."""
        policy = get_policy(DEFAULT_POLICY)
        if policy.framework_id != framework_id or policy.framework.indicator(indicator) is None:
            return None
        cap = policy.period_cap(indicator)
        return AllowedDeclarations(kinds=tuple(KIND_LABELS.get(kind, kind) for kind in policy.kinds), cap=cap) if cap > 0 else None
