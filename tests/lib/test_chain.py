from datetime import datetime, timezone
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest

from duban.lib.chain import GENESIS, canonical, file_digest, fold, link


def test_canonical_json_ignores_key_order_and_keeps_chinese():
    assert canonical({"b": 1, "a": "僵尸车"}) == canonical({"a": "僵尸车", "b": 1})
    assert "僵尸车".encode() in canonical({"a": "僵尸车"})


def test_the_same_moment_in_two_time_zones_hashes_the_same():
    utc = datetime(2026, 10, 1, 1, 0, tzinfo=timezone.utc)
    shanghai = utc.astimezone(ZoneInfo("Asia/Shanghai"))
    assert canonical({"at": utc}) == canonical({"at": shanghai})


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        canonical({"at": datetime(2026, 10, 1)})


def test_a_link_depends_on_the_previous_hash_and_every_field():
    first = link(GENESIS, {"seq": 1})
    assert link(first, {"seq": 2}) != link(GENESIS, {"seq": 2})
    assert link(GENESIS, {"seq": 1}) == first
    assert link(GENESIS, {"seq": 1, "x": ""}) != first


def test_fold_depends_on_order():
    assert fold(GENESIS, ["a" * 64, "b" * 64]) != fold(GENESIS, ["b" * 64, "a" * 64])


def test_file_digest_rewinds_the_file():
    f = BytesIO(b"evidence")
    f.read(3)
    digest = file_digest(f)
    assert f.tell() == 0 and len(digest) == 64
    assert digest == file_digest(BytesIO(b"evidence"))
