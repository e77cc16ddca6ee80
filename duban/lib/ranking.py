"""Competition ranking (1 = best; equal values share a rank and the next is skipped: 1, 2, 2, 4),
as the rankings, races, assessments and project races all publish it."""


def competition_ranks(values, higher_is_better=True):
    """The rank of each value among `values`, in their order (values must be comparable and hashable)."""
    first = {}
    for place, value in enumerate(sorted(values, reverse=higher_is_better), start=1):
        first.setdefault(value, place)
    return [first[value] for value in values]
