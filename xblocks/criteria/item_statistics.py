"""
Classical item statistics for staff: facility and discrimination.

Input: one response set per learner, each a mapping item id -> score (0..1) for the items that
learner's form had (forms differ, so items are seen by different learners).

* **facility**: the mean score of an item (0: nobody right, 1: everybody right; for a self-rating
  item, how high learners rate themselves).
* **discrimination**: the correlation (Pearson; point-biserial for 0/1 items) between the item's
  score and the learner's *rest score*, the mean of their other items. Near 0 or negative: the item
  does not separate stronger from weaker learners. Undefined (None) with fewer than
  :data:`MIN_RESPONSES` responses, or when the item or the rest score does not vary.
"""
from dataclasses import dataclass
from math import sqrt

MIN_RESPONSES = 3


@dataclass(frozen=True)
class ItemStatistics:
    item_id: str
    responses: int
    facility: float | None
    discrimination: float | None


def _correlation(xs, ys):
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return cov / sqrt(var_x * var_y)


def item_statistics(response_sets, item_ids=None):
    """:class:`ItemStatistics` for every item seen (or for ``item_ids``, in that order)."""
    scores_by_item, pairs = {}, {}
    for scores in response_sets:
        total = sum(scores.values())
        for item_id, score in scores.items():
            scores_by_item.setdefault(item_id, []).append(score)
            if len(scores) > 1:  # a rest score needs another item
                pairs.setdefault(item_id, []).append((score, (total - score) / (len(scores) - 1)))
    ids = item_ids if item_ids is not None else sorted(scores_by_item)
    result = []
    for item_id in ids:
        seen = scores_by_item.get(item_id, [])
        facility = sum(seen) / len(seen) if seen else None
        paired = pairs.get(item_id, [])
        discrimination = None
        if len(paired) >= MIN_RESPONSES:
            discrimination = _correlation([score for score, _ in paired], [rest for _, rest in paired])
        result.append(ItemStatistics(item_id, len(seen), facility, discrimination))
    return result
