"""
Checkpoints: the chain heads written down outside the database.

A hash chain shows any entry edited, deleted or inserted behind the API, but not a whole chain
rewritten consistently with its head (someone with write access to the database and this code
can recompute every hash). A checkpoint taken earlier and kept elsewhere (another server, a
write-once bucket, a signed e-mail, a printed report) catches that: the entry at each anchored
position must still carry the anchored hash, and the chain links then vouch for every entry
before it. ``learning-citizen anchor`` takes one (run it from cron); ``learning-citizen verify
--checkpoint FILE`` checks the ledger against it.
"""
import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from xblocks.criteria.documents import schema_problems
from xblocks.criteria.problems import N_, InvalidInput, Problem

from .verify import Break
from .models import CHAIN_COUNT, ChainHead, Entry

SCHEMA = "ledger-checkpoint.v1"
TYPE = "learning-citizen-ledger-checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    taken_at: str
    heads: tuple  # ((chain, length, head_hash), ...) in chain order
    fingerprint: str


def fingerprint(chains):
    """SHA-256 of ``{"chains": chains}`` as canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps({"chains": chains}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def take():
    """The checkpoint document of the ledger now. One SELECT reads every head, so they belong together."""
    chains = [{"chain": chain, "length": length, "head_hash": head_hash}
              for chain, length, head_hash in ChainHead.objects.order_by("chain").values_list("chain", "length", "head_hash")]
    return {
        "type": TYPE, "version": 1,
        "taken_at": timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z"),
        "entries": sum(chain["length"] for chain in chains),
        "chains": chains,
        "fingerprint": fingerprint(chains),
    }


def parse(text):
    """A :class:`Checkpoint` from a checkpoint file's text; InvalidInput says what is wrong with it."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise InvalidInput([Problem(N_("malformed JSON: {detail}"), {"detail": str(error)})]) from None
    problems = schema_problems(SCHEMA, document)
    if problems:
        raise InvalidInput(problems)
    chains = document["chains"]
    numbers = [chain["chain"] for chain in chains]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput([Problem(N_("a chain is listed more than once"), where="chains")])
    if fingerprint(chains) != document["fingerprint"]:
        raise InvalidInput([Problem(N_("the fingerprint does not match the chains: the checkpoint file was changed"),
                                    where="fingerprint")])
    heads = tuple(sorted((chain["chain"], chain["length"], chain["head_hash"]) for chain in chains))
    return Checkpoint(document["taken_at"], heads, document["fingerprint"])


def breaks_since(checkpoint):
    """Where the ledger no longer extends the checkpoint's heads (empty: every anchored entry is still there)."""
    found = []
    for chain, length, head_hash in checkpoint.heads:
        if chain >= CHAIN_COUNT:
            found.append(Break(chain, None, None, _("the checkpoint of {taken_at} has a chain this ledger does not have").format(
                taken_at=checkpoint.taken_at)))
            continue
        if length == 0:
            continue
        entry = Entry.objects.filter(chain=chain, position=length).only("id", "entry_hash").first()
        if entry is None:
            found.append(Break(chain, length, None, _(
                "the checkpoint of {taken_at} has {length} entries in this chain and they are no longer all there: "
                "entries were removed").format(taken_at=checkpoint.taken_at, length=length)))
        elif entry.entry_hash != head_hash:
            found.append(Break(chain, length, entry.pk, _(
                "hash differs from the checkpoint of {taken_at}: the chain was rewritten up to here").format(
                    taken_at=checkpoint.taken_at)))
    return found
