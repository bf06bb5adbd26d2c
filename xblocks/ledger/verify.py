"""
Verifying the ledger: every hash chain recomputed from its genesis and compared with what is
stored. Reads only; what a checkpoint adds is in :mod:`.checkpoints`.
"""
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .chain import genesis_hash, link_hash
from .models import CHAIN_COUNT, ChainHead, Entry, chain_of


@dataclass(frozen=True)
class Break:
    """Where a chain stops verifying, and why."""

    chain: int
    position: int | None
    entry_id: int | None
    reason: str

    def __str__(self):
        if self.entry_id:
            where = _("entry {entry} (chain {chain}, position {position})").format(entry=self.entry_id, chain=self.chain, position=self.position)
        elif self.position:
            where = _("chain {chain}, position {position}").format(chain=self.chain, position=self.position)
        else:
            where = _("chain {chain}").format(chain=self.chain)
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class VerifyReport:
    entries_checked: int
    breaks: tuple

    @property
    def intact(self):
        return not self.breaks

    @property
    def first_break(self):
        return self.breaks[0] if self.breaks else None


def verify(chunk_size=2000):
    """
    Recompute every chain from its genesis and compare with what is stored.

    Finds an entry whose fields were edited (its hash no longer matches), a deleted or
    re-ordered entry (the positions or links stop following on), and a chain whose head does
    not match its last entry (entries cut from the end). Reads in chunks: memory stays flat.
    """
    breaks = []
    checked = 0
    heads = {head.chain: head for head in ChainHead.objects.all()}
    for chain in range(CHAIN_COUNT):
        if chain not in heads:
            breaks.append(Break(chain, None, None, _("the chain's head row is missing")))
    stray = Entry.objects.exclude(chain__in=list(range(CHAIN_COUNT))).order_by("id").first()
    if stray:
        breaks.append(Break(stray.chain, stray.position, stray.pk, _("entry belongs to no chain")))
    for chain, head in sorted(heads.items()):
        previous, expected_position, chain_break = genesis_hash(chain), 1, None
        for entry in Entry.objects.filter(chain=chain).order_by("position").iterator(chunk_size=chunk_size):
            checked += 1
            if entry.position != expected_position:
                chain_break = Break(chain, entry.position, entry.pk,
                                    _("expected position {expected}: an entry before it was deleted or moved").format(expected=expected_position))
            elif entry.chain != chain_of(entry.user_id):
                chain_break = Break(chain, entry.position, entry.pk, _("entry's learner belongs to another chain"))
            elif link_hash(previous, entry) != entry.entry_hash:
                chain_break = Break(chain, entry.position, entry.pk, _("hash does not match: the entry or the one before it was changed"))
            if chain_break:
                break
            previous, expected_position = entry.entry_hash, expected_position + 1
        if chain_break is None:
            chain_break = _head_break(chain, head, found=expected_position - 1, last_hash=previous)
        if chain_break:
            breaks.append(chain_break)
    breaks.sort(key=lambda item: (item.entry_id is None, item.entry_id or 0, item.chain))
    return VerifyReport(checked, tuple(breaks))


def _head_break(chain, head, *, found, last_hash):
    """How a chain that verifies entry by entry disagrees with its head row, by position, or None."""
    if head.length > found:
        # The newest entries are gone: nothing after them is left to notice the gap, only the head.
        return Break(chain, found + 1, None, ngettext(
            "the head says {length} entries but the chain ends at position {found}: the newest entry was removed behind the API",
            "the head says {length} entries but the chain ends at position {found}: the newest {count} entries "
            "(positions {first} to {length}) were removed behind the API",
            head.length - found).format(length=head.length, found=found, count=head.length - found, first=found + 1))
    if head.length < found:
        return Break(chain, head.length + 1, None, ngettext(
            "the head says {length} entries but the chain has {found}: an entry was added behind the API at position {first}",
            "the head says {length} entries but the chain has {found}: {count} entries were added behind the API at positions {first} to {found}",
            found - head.length).format(length=head.length, found=found, first=head.length + 1, count=found - head.length))
    if head.head_hash != last_hash:
        return Break(chain, head.length or None, None,
                     _("the head's hash does not match the entry at position {length}: the newest entry was replaced behind the API").format(
                         length=head.length))
    return None
