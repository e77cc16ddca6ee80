from duban.lib.ranking import competition_ranks


def test_equal_values_share_a_rank_and_the_next_is_skipped():
    assert competition_ranks([90, 95, 90, 80]) == [2, 1, 2, 4]


def test_lower_may_be_better():
    assert competition_ranks([3, 1, 3, 2], higher_is_better=False) == [3, 1, 3, 2]


def test_nothing_to_rank():
    assert competition_ranks([]) == []
