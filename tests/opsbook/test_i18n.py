"""The message catalogues: both languages have every id, with the same placeholders, and code uses only known ids."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from opsbook import i18n

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = sorted(p.stem for p in (i18n.LOCALE_DIR / "zh" / "LC_MESSAGES").glob("*.po"))
# tr("domain", "id" ...), translator("domain" ...) then t("id" ...) is checked per module below
_CALL = re.compile(r"""\btr\(\s*["'](?P<domain>[a-z]+)["']\s*,\s*["'](?P<id>[a-z0-9][a-z0-9._-]*)["']""")


def _fields(text: str | tuple) -> set[str]:
    texts = text if isinstance(text, tuple) else (text,)
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(t) if name}


@pytest.mark.parametrize("domain", DOMAINS)
def test_both_languages_have_the_same_ids_and_placeholders(domain):
    zh, en = (i18n._catalogue(domain, lang).texts for lang in ("zh", "en"))
    assert set(zh) == set(en), f"only zh: {sorted(set(zh) - set(en))}; only en: {sorted(set(en) - set(zh))}"
    for msgid in zh:
        assert _fields(zh[msgid]) - {"count"} == _fields(en[msgid]) - {"count"}, msgid
        assert all(zh[msgid]) and all(en[msgid]), f"empty translation: {msgid}"


def test_every_literal_id_used_in_code_exists():
    used = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        used |= {(m["domain"], m["id"]) for m in _CALL.finditer(path.read_text(encoding="utf-8"))}
    missing = sorted(f"{d}:{m}" for d, m in used if m not in i18n.message_ids(d, "zh"))
    assert not missing


def test_plural_forms_follow_the_catalogue():
    assert i18n.tr("cli", "cli.events", "en", count=1) == "1 event"
    assert i18n.tr("cli", "cli.events", "en", count=2) == "2 events"
    assert i18n.tr("cli", "cli.events", "zh", count=2) == "2 个事件"


def test_language_defaults_to_chinese(monkeypatch):
    monkeypatch.delenv("OPSBOOK_LANG", raising=False)
    assert i18n.language() == "zh"
    monkeypatch.setenv("OPSBOOK_LANG", "en_US.UTF-8")
    assert i18n.language() == "en"
    assert i18n.language("fr") == "zh"


def test_unknown_id_is_an_error_not_a_silent_fallback():
    with pytest.raises(i18n.MissingMessage):
        i18n.tr("cli", "cli.no-such-message")
