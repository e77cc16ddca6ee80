import io

from django.core.management import call_command

from duban.catalogue.models import Channel
from duban.intake import keys
from duban.intake.models import ApiKey
from tests.base import DubanTestCase


class ApiKeyTests(DubanTestCase):
    def test_a_key_is_kept_only_as_a_hash_and_found_by_it(self):
        key, raw = keys.create("区网格系统", Channel.objects.get(code="app"), self.xishan)
        self.assertNotIn(raw, (key.digest, key.prefix))
        self.assertEqual(keys.authenticate(raw), key)
        self.assertEqual((key.person.role, key.person.unit), ("handler", self.xishan))
        self.assertFalse(key.person.has_usable_password())

    def test_a_revoked_or_wrong_key_is_refused(self):
        key, raw = keys.create("旧系统", Channel.objects.get(code="open311"))
        keys.revoke(key)
        self.assertIsNone(keys.authenticate(raw))
        self.assertIsNone(keys.authenticate(raw[:-1] + "x"))
        self.assertIsNone(keys.authenticate("not-a-key"))

    def test_the_command_prints_a_new_key_once_and_lists_without_it(self):
        out, err = io.StringIO(), io.StringIO()
        call_command("apikey", "create", "市民App", "--channel", "app", "--unit", "江南", stdout=out, stderr=err)
        raw = out.getvalue().strip()
        self.assertTrue(raw.startswith("dbk_"))
        self.assertEqual(keys.authenticate(raw).unit, self.jiangnan)
        listing = io.StringIO()
        call_command("apikey", "list", stdout=listing)
        self.assertIn("市民App", listing.getvalue())
        self.assertNotIn(raw, listing.getvalue())
        call_command("apikey", "revoke", "市民App", stdout=io.StringIO())
        self.assertIsNotNone(ApiKey.objects.get(name="市民App").revoked_at)
