"""Chinese search: jieba knows the handbook's words, and the index answers in both scripts.

How material 9.x searches Chinese (read from its search plugin and worker sources):

* At build time the search plugin cuts every run of Han characters with
  ``jieba.cut`` and joins the words with U+200B, which the ``zh`` separator
  (``[\\s\\u200b\\u3000\\-、。，．？！；]+``) makes token boundaries.
* In the browser the worker cuts a Han query greedily into tokens present in the
  index, never looking at the query's last character, and appends ``*``: every
  piece is a prefix query, and a document scores once per distinct index token
  the prefix matches, weighted by that token's rarity.

So a query can only find forms the index holds, and compound tokens distort the
ranking: 职责 matched the rare compound 职责分离 (a rule) above the common word in
岗位职责 (every role). :func:`fold_index` rewrites site/search/search_index.json:

* ``title`` and ``text`` are re-cut into their finest dictionary words
  (职责分离 → 职责|分离; only invisible U+200B moves, the text reads the same);
* ``title_fold``/``text_fold`` hold those words in the other script (OpenCC
  s2t, s2tw, t2s), boosted like ``title``/``text``: 職責 finds 职责 and back;
* ``title_terms``/``text_terms`` hold the whole terms (置业顾问, 客户来访登记表)
  in both scripts with each term less its last character, so that the worker
  cuts a query for a term into that one prefix; weighted at ``TERM_WEIGHT``;
* pages under ``PRIMARY`` (role and process pages) get ``PRIMARY_BOOST``.

:func:`prepare_jieba` adds the handbook's terms to jieba before the pages are cut.
"""

from __future__ import annotations

import json
import logging
import math
import re
from functools import cache
from pathlib import Path

import jieba
from opencc import OpenCC

from opsbook import urls

ZWSP = "\u200b"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_WORD = re.compile(f"[{HAN}]+")
TAG = re.compile(r"(<[^>]*>)")
# Titles such as 入伙通知书（交付通知及费用清单） also give their parts as words.
PARTS = re.compile(r"[\s（）()【】\[\]、，,。；;：:/／·“”\"'‘’—-]+")
CONVERSIONS = ("s2t", "s2tw", "t2s")
FIELDS = ("title", "text")
TERM_WEIGHT = 0.01  # whole terms only break ties, unless the query names a whole term
COVERED = 0.75  # share of a token that dictionary words must cover for it to be cut
PRIMARY = tuple(path("@").partition("@")[0] for path in (urls.role, urls.process))  # roles/, processes/
PRIMARY_BOOST = 2.0
MAX_TERM = 16  # longer strings are sentences, not terms
MAX_STEP = 6  # a longer step title is a sentence

jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" banner in the build output


def domain_words(handbook) -> list[str]:
    """The handbook's terms: role titles and aliases, glossary terms, forms, processes, short step titles.

    Step and obligation titles longer than ``MAX_STEP`` characters are sentences
    (置业顾问每周一上交客户登记表): left out, jieba cuts them into the terms they hold.
    """
    names = []
    for role in handbook.roles:
        names += [role.title, *role.aliases]
    for term in handbook.glossary:
        names += [term.term, *term.aliases]
    names += [form.title for form in handbook.forms]
    names += [process.title for process in handbook.processes]
    steps = [thing.title for process in handbook.processes for thing in (*process.steps, *process.obligations)]
    names += [title for title in steps if len(title) <= MAX_STEP]
    words = [part for name in names for part in (name.strip(), *PARTS.split(name))]
    return list(
        dict.fromkeys(w for w in words if 2 <= len(w) <= MAX_TERM and HAN_WORD.search(w) and not PARTS.search(w))
    )


def prepare_jieba(handbook) -> list[str]:
    """Add the handbook's terms, in both scripts, to jieba's default tokenizer (the one material uses).

    Call it from ``on_config``, before the search plugin indexes pages; returns the
    words added. Do not also set the plugin's ``jieba_dict``: replacing the main
    dictionary drops the words added here.
    """
    added = list(dict.fromkeys(v for word in domain_words(handbook) for v in variants(word)))
    for word in added:
        jieba.add_word(word)
    return added


def fold_index(site_dir) -> int:
    """Rewrite site/search/search_index.json (and the .js the theme loads under file://); return its size."""
    folder = Path(site_dir) / "search"
    path = folder / "search_index.json"
    if not path.is_file():
        return 0
    index = json.loads(path.read_text(encoding="utf-8"))
    fields = index["config"]["fields"]
    if "title_terms" not in fields:  # not folded yet
        finest.cache_clear()  # jieba's dictionary may have grown since the last build
        for name in FIELDS:
            boost = (fields.get(name) or {}).get("boost", 1.0)
            fields[f"{name}_fold"] = {"boost": boost}
            fields[f"{name}_terms"] = {"boost": boost * TERM_WEIGHT}
        for doc in index["docs"]:
            fold_document(doc)
    data = json.dumps(index, separators=(",", ":"), ensure_ascii=False)
    path.write_text(data, encoding="utf-8")
    (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
    return len(index["docs"])


def fold_document(doc: dict) -> None:
    for name in FIELDS:
        value, terms = recut(doc.get(name) or "")
        if name in doc:
            doc[name] = value
        words = dict.fromkeys(HAN_WORD.findall(_text_only(value)))  # ordered: the same site twice is the same index
        fold = [v for w in words for v in variants(w) if v not in words]
        terms = [v for term in terms for v in variants(term)]
        terms += [term[:-1] for term in terms]
        for field, tokens in ((f"{name}_fold", fold), (f"{name}_terms", terms)):
            doc.pop(field, None)
            if tokens:
                doc[field] = ZWSP.join(dict.fromkeys(tokens))
    if doc["location"].startswith(PRIMARY) and doc["location"].split("#")[0] not in PRIMARY:
        doc["boost"] = doc.get("boost", 1.0) * PRIMARY_BOOST


def recut(value: str) -> tuple[str, list[str]]:
    """``value`` with each Han token cut into its finest words, and the tokens of three or more characters."""
    terms: list[str] = []

    def cut(match: re.Match) -> str:
        token = match.group(0)
        if len(token) >= 3:
            terms.append(token)
        return ZWSP.join(finest(token))

    parts = TAG.split(value)  # leave markup alone: odd parts are tags
    return "".join(part if i % 2 else HAN_WORD.sub(cut, part) for i, part in enumerate(parts)), terms


@cache
def finest(token: str) -> tuple[str, ...]:
    """``token`` cut into the most dictionary words of two or more characters, or left whole.

    Single characters may fill gaps (置业顾问|每周|一|上交|…) as long as words cover
    at least ``COVERED`` of the token; a word that cannot be cut so (预验收) stays whole.
    """
    n = len(token)
    if n < 4:  # two words of two characters at least
        return (token,)
    jieba.dt.check_initialized()
    freq = jieba.dt.FREQ
    # best[i]: (characters in words, words, log-frequency, start of the last piece) for token[:i]
    best: list[tuple[int, int, float, int] | None] = [(0, 0, 0.0, 0)] + [None] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - MAX_TERM), end):
            word = token[start:end]
            if best[start] is None or word == token:
                continue
            covered, words, score, _ = best[start]
            if len(word) >= 2 and freq.get(word, 0) > 0:
                candidate = (covered + len(word), words + 1, score + math.log(freq[word]), start)
            elif len(word) == 1:
                candidate = (covered, words, score, start)
            else:
                continue
            if best[end] is None or candidate[:3] > best[end][:3]:
                best[end] = candidate
    covered, words, _, _ = best[n]
    if words == 0 or covered < COVERED * n:
        return (token,)
    pieces, end = [], n
    while end:
        start = best[end][3]
        pieces.append(token[start:end])
        end = start
    return tuple(reversed(pieces))


@cache
def variants(text: str) -> tuple[str, ...]:
    """``text`` and its forms in the other script (simplified ↔ traditional, Taiwan variants)."""
    return tuple(dict.fromkeys([text, *(_converter(c).convert(text) for c in CONVERSIONS)]))


@cache
def _converter(config: str) -> OpenCC:
    return OpenCC(config)


def _text_only(value: str) -> str:
    return TAG.sub(" ", value)
