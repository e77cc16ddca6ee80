import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from duban.ledger.models import Ticket
from tests.base import DubanTestCase
from tests.intake.test_sheets import messy_workbook


class ImportCommandTests(DubanTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.path = Path(folder.name) / "台账.xlsx"
        messy_workbook().save(self.path)

    def run_command(self, *args, out=None):
        out = out or StringIO()
        call_command("import_ledger", str(self.path), *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    def test_a_dry_run_shows_the_preview_and_writes_nothing(self):
        out = self.run_command("--dry-run", "--yes")
        self.assertIn("作风问题", out)
        self.assertIn("交警队", out)
        self.assertEqual(Ticket.objects.count(), 0)

    def test_without_yes_and_without_a_terminal_nothing_is_written(self):
        self.run_command()
        self.assertEqual(Ticket.objects.count(), 0)

    def test_json_prints_one_object_of_the_documented_shape(self):
        outcome = json.loads(self.run_command("--json", "--yes", "--as", self.dispatcher.username))
        self.assertEqual(set(outcome), {"ok", "errors", "warnings", "written"})
        self.assertEqual((outcome["ok"], outcome["written"]), (5, True))
        self.assertEqual([(e["sheet"], e["row"]) for e in outcome["errors"]],
                         [("作风问题", 7), ("作风问题", 9), ("作风问题", 10), ("作风问题", 11)])
        self.assertTrue(all(set(w) == {"sheet", "row", "message"} for w in outcome["warnings"]))
        self.assertEqual(Ticket.objects.count(), 5)

    def test_json_without_yes_is_a_preview(self):
        outcome = json.loads(self.run_command("--json"))
        self.assertEqual((outcome["ok"], outcome["written"]), (5, False))
        self.assertEqual(Ticket.objects.count(), 0)

    def test_an_unreadable_file_fails_with_a_clear_message(self):
        self.path.write_bytes(b"PK\x03\x04 broken")
        with self.assertRaisesMessage(CommandError, "xlsx"):
            self.run_command()
        out = StringIO()
        with self.assertRaises(CommandError):
            self.run_command("--json", out=out)
        self.assertEqual(json.loads(out.getvalue())["errors"][0]["row"], None)
