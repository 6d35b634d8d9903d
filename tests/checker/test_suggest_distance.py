"""The did-you-mean edit distance: banded and cut off at a limit, it answers as the full computation does."""

from __future__ import annotations

import random

import pytest

from checker.suggest import closest, distance


def reference(a: str, b: str) -> int:
    """Optimal string alignment distance, the textbook full table (insert, delete, substitute, swap neighbours)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@pytest.mark.parametrize("seed", range(3))
def test_the_banded_distance_is_the_full_one_up_to_the_limit(seed):
    rng = random.Random(seed)
    for _ in range(2000):
        a = "".join(rng.choice("登记客户投诉ab") for _ in range(rng.randint(0, 9)))
        b = "".join(rng.choice("登记客户投诉ab") for _ in range(rng.randint(0, 9)))
        limit = rng.randint(0, 4)
        assert distance(a, b) == reference(a, b)
        assert distance(a, b, limit) == min(reference(a, b), limit + 1), (a, b, limit)


def test_a_swap_of_neighbours_is_one_edit_and_the_clear_winner_is_named():
    assert distance("sael", "sale", 1) == 1
    candidates = [("登记客户投诉", "complaint"), ("客户来访登记", "visit"), ("签订认购书", "subscribe")]
    assert closest("登记客户投述", candidates) == "complaint"
    assert closest("完全无关的文字", candidates) is None
