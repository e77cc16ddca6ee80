"""Probable duplicates (并单): open tickets about the same matter as a new report.

Chinese has no spaces, so text is compared as sets of overlapping character pairs (shingles).
Each open ticket keeps a MinHash signature cut into bands (locality-sensitive hashing): two texts
whose shingle sets overlap by half share at least one band with probability above 0.9, and two
unrelated complaints rarely do. A search therefore reads a few index entries, not every open
ticket; the candidates it finds, and every open ticket within `DUPLICATE_NEAR_METRES`, are then
scored exactly (the text candidates are the ones sharing the most bands, an estimate of the
overlap that costs one indexed aggregate):

- text similarity: Jaccard overlap of the shingle sets, or, for a short report inside a long one,
  their containment (discounted);
- place: a candidate nearby needs less text in common (`DUPLICATE_NEAR_SIMILARITY`) than one
  whose place is unknown or far (`DUPLICATE_SIMILARITY`).

Tickets leave the index when they close, are declined or are merged (`forget`); `reindex`
rebuilds it from the ledger.
"""
import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from duban.ledger.machine import OPEN_STATES
from duban.ledger.models import Ticket
from duban.lib.rows import insert_rows
from duban.lib.text import compact, pairs
from duban.triage.models import Band, Fingerprint

BANDS, ROWS = 20, 3  # 60 hash functions: P(candidate) = 1 - (1 - s**3) ** 20
SEED = 20211015
CANDIDATES_MAX = 100  # per way of finding them: by text and by place
DEFAULT_SIMILARITY = 0.5
EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180


@dataclass
class Match:
    ticket: Ticket
    score: float
    similarity: float
    distance_m: float | None = None
    reasons: list = field(default_factory=list)


def _setting(name, default):
    return getattr(settings, name, default)  # the defaults serve code run without duban's settings


SCHEME = "affine32"  # fixed, so a datasketch upgrade cannot silently change stored bands


@lru_cache(maxsize=1)
def _permutations():
    return MinHash(num_perm=BANDS * ROWS, seed=SEED, scheme=SCHEME).permutations


def _fmix32(hv):
    """MurmurHash3's 32-bit finalizer, as datasketch's affine32 scheme applies it before permuting."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def _sha1_32(data):
    """datasketch's sha1_hash32: spreads shingles for MinHash; nothing secret depends on it."""
    return int.from_bytes(hashlib.sha1(data, usedforsecurity=False).digest()[:4], "little")


def buckets(shingle_set):
    """The band hashes of a shingle set: BANDS signed 64-bit integers."""
    return buckets_many([shingle_set])[0]


def buckets_many(shingle_sets):
    """The band hashes of many shingle sets, the MinHash signatures computed in one numpy pass.

    Each signature is datasketch's MinHash (affine32, these permutations) of the set, which
    tests/triage hold it to; an empty set has no bands.
    """
    a, b = _permutations()
    lengths = [len(shingle_set) for shingle_set in shingle_sets]
    hashes = np.fromiter((_sha1_32(s.encode()) for shingle_set in shingle_sets for s in shingle_set),
                         dtype=np.uint32, count=sum(lengths))
    result = [[] for _ in shingle_sets]
    filled = [i for i, n in enumerate(lengths) if n]
    if not filled:
        return result
    starts = np.cumsum([0] + lengths)[filled]
    with np.errstate(over="ignore"):
        permuted = _fmix32(hashes).reshape(-1, 1) * a + b  # (shingles, permutations), mod 2**32
    signatures = np.minimum.reduceat(permuted, starts, axis=0).astype(np.uint64)
    for i, values in zip(filled, signatures):
        result[i] = [int.from_bytes(hashlib.blake2b(values[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8,
                                                    person=band.to_bytes(2, "big")).digest(), "big", signed=True)
                     for band in range(BANDS)]
    return result


def _entries(rows):
    """Fingerprint rows and band rows for (pk, title, description, latitude, longitude, area), as
    plain values for `_flush`."""
    texts = [compact(f"{title} {description}") for _pk, title, description, *_rest in rows]
    prints, bands = [], []
    for (pk, _title, _description, *place), text, its_buckets in zip(rows, texts, buckets_many([pairs(t) for t in texts])):
        prints.append((pk, text, *place))
        bands.extend((pk, bucket) for bucket in its_buckets)
    return prints, bands


def index(ticket):
    """Put (or put again) an open ticket in the index."""
    index_many([ticket])


def index_many(tickets, *, new=False):
    """Put (or put again) open tickets in the index, with one insert per table. `new`: the tickets
    were just received, so nothing of them is in the index to take out first."""
    with transaction.atomic(savepoint=False):  # a failure here fails the change of state it follows
        if not new:
            forget_many(tickets)
        _flush(*_entries([(t.pk, t.title, t.description, t.latitude, t.longitude, t.area_id) for t in tickets]), None)


def forget(ticket):
    """Take a ticket out of the index (it closed, was declined or was merged)."""
    forget_many([ticket])


def forget_many(tickets):
    pks = [ticket.pk for ticket in tickets]
    Band.objects.filter(fingerprint_id__in=pks).delete()
    Fingerprint.objects.filter(ticket_id__in=pks).delete()


def reindex(*, batch=2000, progress=None):
    """Rebuild the whole index from the open tickets of the ledger; return how many are indexed."""
    with transaction.atomic():
        Band.objects.all().delete()
        Fingerprint.objects.all().delete()
        count = 0
        tickets = (Ticket.objects.filter(state__in=OPEN_STATES).order_by("pk")
                   .values_list("pk", "title", "description", "latitude", "longitude", "area_id"))
        rows = []
        for row in tickets.iterator(chunk_size=batch):
            rows.append(row)
            count += 1
            if len(rows) >= batch:
                _flush(*_entries(rows), progress)
                rows.clear()
        _flush(*_entries(rows), progress)
    return count


def _flush(prints, bands, progress):
    insert_rows(Fingerprint, ("ticket", "text", "latitude", "longitude", "area_id"), prints)
    insert_rows(Band, ("fingerprint", "bucket"), bands)
    if progress:
        progress(len(prints))
    prints.clear()
    bands.clear()


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def similarity(a, b):
    """Jaccard overlap of two shingle sets, or 0.8 × containment when one is much shorter."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return max(common / len(a | b), 0.8 * common / min(len(a), len(b)))


def _nearby(latitude, longitude, metres):
    dlat = metres / METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    return (Fingerprint.objects.filter(latitude__range=(latitude - dlat, latitude + dlat),
                                       longitude__range=(longitude - dlon, longitude + dlon))
            .values_list("ticket_id", flat=True)[:CANDIDATES_MAX])


# What a match shows of the ticket it found (the rest is read only if asked for).
MATCH_FIELDS = ("number", "title", "state", "address", "created_at", "kind", "area", "lead_unit")


def find(text, *, area=None, latitude=None, longitude=None, exclude=None, limit=5):
    """Open tickets that probably report the same matter, best first."""
    mine = pairs(compact(text))
    if not mine:
        return []
    near_m = _setting("DUPLICATE_NEAR_METRES", 300)
    located = latitude is not None and longitude is not None
    # The more bands a ticket shares with the report, the closer its text: read the best few.
    candidates = set(Band.objects.filter(bucket__in=buckets(mine)).values("fingerprint_id")
                     .annotate(shared=Count("id")).order_by("-shared", "fingerprint_id")
                     .values_list("fingerprint_id", flat=True)[:CANDIDATES_MAX])
    if located:
        candidates.update(_nearby(latitude, longitude, near_m))
    candidates.discard(exclude)
    if not candidates:
        return []
    threshold = _setting("DUPLICATE_SIMILARITY", DEFAULT_SIMILARITY)
    near_threshold = _setting("DUPLICATE_NEAR_SIMILARITY", 0.25)
    scored = []
    for pk, other, lat, lon, other_area in (Fingerprint.objects.filter(ticket_id__in=candidates)
                                            .values_list("ticket_id", "text", "latitude", "longitude", "area_id")):
        sim = similarity(mine, pairs(other))
        metres = distance_m(latitude, longitude, lat, lon) if located and lat is not None and lon is not None else None
        near = metres is not None and metres <= near_m
        if sim < (near_threshold if near else threshold):
            continue
        same_area = area is not None and other_area == area.pk
        score = sim + (0.3 * (1 - metres / near_m) if near else 0) + (0.05 if same_area else 0)
        scored.append((score, sim, metres, same_area, pk))
    scored.sort(key=lambda s: (-s[0], s[4]))
    scored = scored[:limit]
    tickets = (Ticket.objects.select_related("lead_unit").only(*MATCH_FIELDS, "lead_unit__name")
               .in_bulk([s[4] for s in scored]))
    return [Match(tickets[pk], score, sim, metres, _reasons(sim, metres, same_area))
            for score, sim, metres, same_area, pk in scored if pk in tickets and tickets[pk].state in OPEN_STATES]


def _reasons(sim, metres, same_area):
    reasons = [_("%(percent)d%% of the wording in common") % {"percent": round(sim * 100)}]
    if metres is not None:
        reasons.append(_("%(metres)d m away") % {"metres": round(metres)})
    if same_area:
        reasons.append(_("same area"))
    return reasons


def follow(sender, ticket, event, from_state, **kwargs):
    """Keep the index to the open tickets as the ledger moves them (the ledger's state_changed)."""
    follow_many(sender, [(ticket, event, from_state)])


def follow_many(sender, changes, **kwargs):
    """The same for many tickets at once (the ledger's states_changed, from a bulk import)."""
    first = {}
    for ticket, _event, from_state in changes:
        first.setdefault(ticket.pk, (ticket, from_state))
    received, entering, leaving = [], [], []
    for ticket, from_state in first.values():
        was_open, is_open = from_state in OPEN_STATES, ticket.state in OPEN_STATES
        if is_open and not was_open:
            (entering if from_state else received).append(ticket)  # "": the ticket's receipt
        elif was_open and not is_open:
            leaving.append(ticket)
    if received:
        index_many(received, new=True)
    if entering:
        index_many(entering)
    if leaving:
        forget_many(leaving)
