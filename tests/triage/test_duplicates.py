import hashlib
from io import StringIO

import numpy as np
from datasketch import MinHash
from django.core.management import call_command
from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.ledger.machine import perform
from duban.triage import duplicates
from duban.lib.text import compact, pairs
from duban.triage.models import Band, Fingerprint
from tests.base import DubanTestCase, photo

ZOMBIE = "富强小区东门有辆白色轿车停了半年，落满灰尘，占了消防通道。"
ZOMBIE_AGAIN = "富强小区东门那辆白色轿车停了半年了，落满灰尘，占着消防通道！"
STREETLIGHT = "柳浪社区三号楼北侧的路灯连续一周晚上不亮，老人孩子走夜路不安全。"
# A square in 江南区 and a point 120 m north of it, and one 3 km away.
HERE, NEAR, FAR = (30.5801, 114.2901), (30.5812, 114.2901), (30.6071, 114.2901)


class IndexTests(DubanTestCase):
    def test_a_new_ticket_is_indexed_and_a_closed_one_leaves_the_index(self):
        ticket = self.dispatched_ticket(description=ZOMBIE)
        self.assertTrue(Fingerprint.objects.filter(ticket=ticket).exists())
        self.assertEqual(Band.objects.filter(fingerprint_id=ticket.pk).count(), duplicates.BANDS)
        perform(ticket, "acknowledge", self.handler)
        perform(ticket, "resolve", self.handler, text="已拖离", files=[photo()])
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        self.assertFalse(Fingerprint.objects.filter(ticket=ticket).exists())
        self.assertFalse(Band.objects.filter(fingerprint_id=ticket.pk).exists())
        perform(ticket, "reopen", self.supervisor, reason="回访称车还在")
        self.assertTrue(Fingerprint.objects.filter(ticket=ticket).exists())

    def test_reindex_rebuilds_exactly_the_open_tickets(self):
        open_ticket = self.new_ticket(description=ZOMBIE)
        declined = self.new_ticket(description=STREETLIGHT)
        perform(declined, "decline", self.dispatcher, decline_reason="no_substance")
        Fingerprint.objects.all().delete()
        self.assertEqual(duplicates.reindex(), 1)
        self.assertEqual(list(Fingerprint.objects.values_list("ticket_id", flat=True)), [open_ticket.pk])
        out = StringIO()
        call_command("triage", "reindex", stdout=out)
        self.assertIn("1", out.getvalue())


class FindTests(DubanTestCase):
    def test_the_same_matter_in_other_words_is_found_with_its_reasons(self):
        first = self.new_ticket(title="市民来电", description=ZOMBIE)
        self.new_ticket(title="市民来电", description=STREETLIGHT, area=self.jiangbei_community)
        found = duplicates.find(ZOMBIE_AGAIN, area=self.grid)
        self.assertEqual([m.ticket for m in found], [first])
        self.assertGreater(found[0].similarity, 0.5)
        self.assertTrue(any("%" in r for r in found[0].reasons))

    def test_a_different_matter_is_not_a_duplicate(self):
        self.new_ticket(title="市民来电", description=ZOMBIE)
        self.assertEqual(duplicates.find(STREETLIGHT), [])

    def test_a_traditional_chinese_report_finds_its_simplified_twin(self):
        first = self.new_ticket(title="市民来电", description=ZOMBIE)
        found = duplicates.find("富強小區東門那輛白色轎車停了半年了，落滿灰塵，佔著消防通道！")
        self.assertEqual([m.ticket for m in found], [first])

    def test_nearby_needs_less_wording_in_common_than_far_away(self):
        lat, lon = HERE
        first = self.new_ticket(title="市民来电", description="小区门口白色轿车长期停放，落满灰尘，占用消防通道", latitude=lat,
                                longitude=lon)
        loose = "小区门口那辆白色轿车一直停着，挡着消防通道"
        self.assertEqual(duplicates.find(loose), [])
        near = duplicates.find(loose, latitude=NEAR[0], longitude=NEAR[1])
        self.assertEqual([m.ticket for m in near], [first])
        self.assertAlmostEqual(near[0].distance_m, 122, delta=5)
        self.assertEqual(duplicates.find(loose, latitude=FAR[0], longitude=FAR[1]), [])

    def test_the_ticket_itself_and_closed_tickets_are_left_out(self):
        ticket = self.new_ticket(title="市民来电", description=ZOMBIE)
        self.assertEqual(duplicates.find(ZOMBIE, exclude=ticket.pk), [])
        perform(ticket, "decline", self.dispatcher, decline_reason="no_substance")
        self.assertEqual(duplicates.find(ZOMBIE), [])

    def test_the_command_lists_the_matches(self):
        first = self.new_ticket(title="僵尸车", description=ZOMBIE)
        out = StringIO()
        call_command("triage", "duplicates", ZOMBIE_AGAIN, stdout=out)
        self.assertIn(first.number, out.getvalue())

    def test_distance_is_the_great_circle(self):
        self.assertAlmostEqual(duplicates.distance_m(39.9042, 116.4074, 31.2304, 121.4737), 1_067_000, delta=2_000)


class SignatureTests(SimpleTestCase):
    """The bands computed many at a time are datasketch's MinHash of each text, cut into bands."""

    def reference(self, shingle_set):
        if not shingle_set:
            return []
        signature = MinHash(num_perm=duplicates.BANDS * duplicates.ROWS, seed=duplicates.SEED,
                            permutations=duplicates._permutations(), scheme=duplicates.SCHEME)
        signature.update_batch([s.encode() for s in shingle_set])
        values = np.asarray(signature.hashvalues, dtype=np.uint64)
        rows = duplicates.ROWS
        return [int.from_bytes(hashlib.blake2b(values[band * rows:(band + 1) * rows].tobytes(), digest_size=8,
                                               person=band.to_bytes(2, "big")).digest(), "big", signed=True)
                for band in range(duplicates.BANDS)]

    @given(st.lists(st.text(alphabet="富强小区东门有辆白色轿车停了半年路灯不亮abc123", max_size=60), max_size=12))
    @settings(max_examples=60, deadline=None)
    def test_many_at_once_equals_datasketch_one_by_one(self, texts):
        sets = [pairs(compact(text)) for text in texts]
        self.assertEqual(duplicates.buckets_many(sets), [self.reference(s) for s in sets])

    def test_a_text_without_shingles_has_no_bands(self):
        self.assertEqual(duplicates.buckets_many([set(), pairs(ZOMBIE), set()])[::2], [[], []])
        self.assertEqual(len(duplicates.buckets(pairs(ZOMBIE))), duplicates.BANDS)
