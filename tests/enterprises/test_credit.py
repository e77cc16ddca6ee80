"""统一社会信用代码: the length, the characters, the division code and the check character."""
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from duban.enterprises.credit import check_character, clean_credit_code


class CreditCodeTests(SimpleTestCase):
    def test_real_codes_pass_and_are_written_in_capitals_without_spaces(self):
        self.assertEqual(clean_credit_code("91350100M000100Y43"), "91350100M000100Y43")
        self.assertEqual(clean_credit_code(" 91440300 708461136t "), "91440300708461136T")
        self.assertEqual(clean_credit_code(""), "")

    def test_the_check_character_is_computed_from_the_first_seventeen(self):
        self.assertEqual(check_character("91110000100006485"), "K")

    def test_a_code_of_the_wrong_length_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "统一社会信用代码应为18位"):
            clean_credit_code("9135010000")

    def test_letters_the_code_never_uses_are_named(self):
        with self.assertRaisesMessage(ValidationError, "含有I、O"):
            clean_credit_code("91350100MO0I100Y43")

    def test_a_division_code_with_letters_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "行政区划码"):
            clean_credit_code("9135A100M000100Y43")

    def test_a_mistyped_code_fails_its_check_character(self):
        with self.assertRaisesMessage(ValidationError, "校验码"):
            clean_credit_code("91350100M000100Y44")
