"""Hash chains: canonical JSON and SHA-256 links, the arithmetic of a tamper-evident ledger."""
import hashlib
import json
from functools import lru_cache
from datetime import datetime, timezone

GENESIS = "0" * 64


def canonical(value):
    """One byte string per value: sorted keys, no spaces, UTF-8, timestamps in UTC."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_encode).encode("utf-8")


def _encode(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetimes cannot be hashed")
        return _utc_text(value)
    raise TypeError(f"cannot hash a {type(value).__name__}")


@lru_cache(maxsize=1024)
def _utc_text(moment):
    # A ticket's events often share one moment (a bulk import): format each once.
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def link(prev_hash, content):
    """The hash of one link: the previous link's hash followed by the canonical content."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(content))
    return digest.hexdigest()


def fold(prev_hash, hashes):
    """The hash of a run of hashes in order, chained onto prev_hash (for checkpoints)."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    for item in hashes:
        digest.update(b"\n")
        digest.update(item.encode("ascii"))
    return digest.hexdigest()


def file_digest(fileobj):
    """SHA-256 of a file-like object, read in chunks; the position is put back at the start."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 16), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()
