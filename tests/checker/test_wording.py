"""``Wording`` (words made once per shape of a text) says exactly what ``render`` says, for every
expected/actual text of the report catalogue, with awkward values in the parameters shown as they are."""

from __future__ import annotations

import string

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.finding import Finding, Text
from checker.texts import Names, Wording, lateness_shown, lateness_words, render
from opsbook.i18n import _catalogue

NAMES = Names(
    steps={("sale", "approve"): "审批合同", ("sale", "sign"): "签约"},
    processes={"sale": "签约流程"},
    roles={"manager": "销售经理"},
    suggestions={"审批": ("审批合同", "sale", "approve")},
)
# NUL marks a slot inside Wording: values holding it, or a slot's whole mark, must still come out right.
AWKWARD = st.lists(st.sampled_from([*"ab{}\x00%中文😀 ", "\x00limit\x00", "\x00start\x00", "{limit}"]), max_size=5)
VALUE = AWKWARD.map("".join)
SHAPED = {
    "step": st.sampled_from(["approve", "sign", "unknown-step"]) | VALUE,
    "pred": st.sampled_from(["approve", "sign"]),
    "other": st.sampled_from(["approve", "sign"]),
    "roles": st.lists(st.sampled_from(["manager", "ghost"]) | VALUE, max_size=3).map(tuple),
    "people": st.lists(VALUE, max_size=3).map(tuple),
    "unit": st.sampled_from(["minutes", "hours", "days", "weeks", "months", "workdays"]),
    "amount": st.integers(0, 30),
    "anchor_kind": st.sampled_from(["case_start", "step", "attribute"]),
    "anchor": st.sampled_from(["approve", "sign", "签约日期"]),
    "count": st.integers(0, 5),
    "label": st.sampled_from(["审批", "不认识"]) | VALUE,
}


def _placeholders(text: str | tuple[str, ...]) -> set[str]:
    forms = text if isinstance(text, tuple) else (text,)
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def _texts(lang: str) -> list[tuple[str, set[str]]]:
    texts = _catalogue("report", lang).texts
    return [
        (msgid, _placeholders(t)) for msgid, t in sorted(texts.items()) if msgid.startswith(("expected.", "actual."))
    ]


@st.composite
def texts(draw, lang: str) -> Text:
    msgid, names = draw(st.sampled_from(_texts(lang)))
    if "duration" in names:
        names = (names - {"duration"}) | {"unit", "amount"}
    params = [(name, draw(SHAPED.get(name, VALUE | st.integers(-5, 5)))) for name in sorted(names)]
    return Text(msgid, tuple(params))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_catalogue_has_texts_to_try(lang):
    assert len(_texts(lang)) > 30  # the strategy below draws from them


@pytest.mark.parametrize("lang", ["zh", "en"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_wording_is_render(lang, data):
    wording = Wording(lang, NAMES)
    for _ in range(4):  # one Wording for several texts: shapes made for one serve the next
        text = data.draw(texts(lang))
        process = data.draw(st.sampled_from(["sale", None]))
        assert wording(text, process) == render(text, Finding("", "", "", "", process=process), lang, NAMES)


def test_texts_of_one_shape_are_made_once():
    wording = Wording("zh", NAMES)
    for day in range(1, 29):
        limit = f"2024-03-{day:02d} 18:00"
        words = wording(Text("expected.deadline-within", (("limit", limit), ("amount", 2), ("unit", "hours"),
                                                          ("anchor_kind", "step"), ("anchor", "approve"))), "sale")  # fmt: skip
        assert limit in words and "审批合同" in words
    assert len(wording._shapes) == 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.none() | st.integers(-(10**6), 10**9) | st.sampled_from([0, 59, 60, 3599, 3600, 86399, 86400, 90061]))
)
def test_lateness_cut_to_what_is_shown_says_the_same(seconds):
    shown = pl.select(lateness_shown(pl.Series(seconds, dtype=pl.Int64))).to_series().to_list()
    for lang in ("zh", "en"):
        assert [lateness_words(s, lang) for s in shown] == [lateness_words(s, lang) for s in seconds]
    assert len({s for s in shown if s is not None}) <= len({s for s in seconds if s is not None})
