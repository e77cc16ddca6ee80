from duban.lib.mask import mask_email, mask_name, mask_phone


def test_a_mobile_number_keeps_its_first_three_and_last_four_digits():
    assert mask_phone("138 1234 5678") == "138****5678"


def test_a_short_number_keeps_only_its_last_two_digits():
    assert mask_phone("0432-1234") == "******34"


def test_a_name_keeps_only_its_first_character():
    assert mask_name("周大爷") == "周**"
    assert mask_name("王") == "王*"


def test_an_email_keeps_its_domain():
    assert mask_email("zhangsan@example.cn") == "z***@example.cn"


def test_nothing_stays_nothing():
    assert mask_phone("") == mask_name("") == mask_email("") == ""
