"""A finding key's parts: the plain ones are taken as they are, and that is what percent-encoding gives them."""

from __future__ import annotations

import random
import string
from urllib.parse import quote

from checker.finding import _part

SAFE = " -_.:@+()[]#~!$&'*,;=\u00a0"  # Finding's safe set, as before the shortcut


def test_every_part_is_what_quote_makes_of_it():
    rng = random.Random(7)
    alphabet = string.printable + "投诉客户\u00a0\u3000é/%"
    samples = [
        "",
        "C101",
        "complaint-handling",
        "TS-002",
        "2026-W10",
        "E016/x",
        "a%b",
        "发放宣传单页",
        "a\nb",
        "\u00a0",
    ]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    for value in samples:
        assert _part(value) == quote(value, safe=SAFE), repr(value)
    assert _part(None) == ""
