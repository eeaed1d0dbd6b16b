"""The English catalog covers every interface string, is compiled, and is served.

Dutch is the source language: every `_()`, `_l()` and `lazy_gettext()` in tafel/ and
every `{{ _("...") }}` in templates/ must have an English translation in
tafel/translations/en/LC_MESSAGES/messages.po. When a test here fails after you added
a string: run `make extract-messages`, translate the new entries, `make translations`.
"""

from __future__ import annotations

import gettext
import re
import shutil
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.conftest import post

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "tafel" / "translations"
PO_FILE = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The same keywords as `make extract-messages` (-k _l -k lazy_gettext).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

HOME_NL = "Knelpunten uit de praktijk op de tafel van het kabinet"
HOME_EN = "Real-world bottlenecks on the government&#39;s table"
HOME_EN_PLAIN = "Real-world bottlenecks on the government's table"


# Helpers ----------------------------------------------------------------------------


def extract_messages(root: Path | None = None) -> dict[tuple[str, str | None], list[str]]:
    """Every translatable string under `root`, found with babel.cfg's method map.

    Returns {(msgid, context): ["path:line", ...]}; for plural forms the msgid is
    the singular.
    """
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    found: dict[tuple[str, str | None], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(root or ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((msgid, context), []).append(f"{filename}:{lineno}")
    return found


def load_catalog(path: Path | None = None) -> Catalog:
    with open(path or PO_FILE, "rb") as f:
        return read_po(f, locale="en")


def untranslated(messages, catalog: Catalog) -> list[str]:
    """The msgids that have no non-empty, non-fuzzy translation in `catalog`."""
    missing = []
    for msgid, context in sorted(messages, key=lambda key: (key[0], key[1] or "")):
        entry = catalog.get(msgid, context)
        strings = entry.string if entry is not None else None
        if isinstance(strings, str):
            strings = (strings,)
        if entry is None or entry.fuzzy or not strings or not all(s.strip() for s in strings):
            missing.append(msgid)
    return missing


PLACEHOLDER_RE = re.compile(r"%(?:\(\w+\))?[#0\- +]*(?:\*|\d+)?(?:\.\d+)?[a-zA-Z%]")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER_RE.findall(text))


def translated_entries(catalog: Catalog):
    """The entries a compiled catalog serves: translated (every plural form), not fuzzy."""
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            yield message


def get(client, url: str, language: str | None = None) -> str:
    headers = {"Accept-Language": language} if language else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


# a. Every string in the source has an English translation ---------------------------


def test_every_source_string_has_an_english_translation():
    messages = extract_messages()
    assert len(messages) > 100, "extraction found suspiciously few strings"
    missing = untranslated(messages, load_catalog())
    where = {msgid: places for (msgid, _context), places in messages.items()}
    assert not missing, (
        f"{len(missing)} interface string(s) without English translation "
        "(run `make extract-messages`, translate, `make translations`):\n"
        + "\n".join(f"  {msgid!r}  ({', '.join(where[msgid][:2])})" for msgid in missing)
    )


def test_the_check_reports_untranslated_empty_and_fuzzy_entries():
    catalog = Catalog(locale="en")
    catalog.add("Opslaan", "Save")
    catalog.add("Leeg", "")
    catalog.add("Wit", "   ")
    catalog.add("Twijfel", "Doubt", flags=["fuzzy"])
    catalog.add(("%(n)d rij", "%(n)d rijen"), ("%(n)d row", ""))
    messages = {(m, None): [] for m in ("Opslaan", "Leeg", "Wit", "Twijfel", "%(n)d rij", "Nieuw")}
    assert untranslated(messages, catalog) == ["%(n)d rij", "Leeg", "Nieuw", "Twijfel", "Wit"]


def test_a_new_untranslated_string_in_a_template_or_module_is_caught(tmp_path):
    """Extraction really reads templates and `_l()` calls: scratch copies, not the tree."""
    shutil.copytree(ROOT / "templates" / "main", tmp_path / "templates" / "main")
    (tmp_path / "templates" / "main" / "scratch.html").write_text(
        '{% extends "base.html" %}{% block content %}'
        '<p>{{ _("Een gloednieuwe zin zonder vertaling") }}</p>'
        '<p>{{ _("Welkom, %(name)s.", name="x") }}</p>{% endblock %}',
        encoding="utf-8",
    )
    (tmp_path / "tafel").mkdir()
    (tmp_path / "tafel" / "scratch.py").write_text(
        "from flask_babel import lazy_gettext, lazy_gettext as _l\n"
        'A = _l("Nog een nieuwe zin")\n'
        'B = lazy_gettext("En nog een")\n',
        encoding="utf-8",
    )
    messages = extract_messages(tmp_path)
    assert (HOME_NL, None) in messages  # the copied home page template was read
    assert untranslated(messages, load_catalog()) == [
        "Een gloednieuwe zin zonder vertaling",
        "En nog een",
        "Nog een nieuwe zin",
    ]


# b. The compiled catalog is up to date and served -----------------------------------


def test_compiled_catalog_matches_the_po_file():
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run `make translations`"
    with open(MO_FILE, "rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for message in translated_entries(load_catalog()):
        if isinstance(message.id, tuple):
            for n, expected in ((1, message.string[0]), (2, message.string[1])):
                if compiled.ngettext(message.id[0], message.id[1], n) != expected:
                    stale.append(message.id[0])
        elif message.context:
            if compiled.pgettext(message.context, message.id) != message.string:
                stale.append(message.id)
        elif compiled.gettext(message.id) != message.string:
            stale.append(message.id)
    assert not stale, "messages.mo is older than messages.po (run `make translations`):\n" + (
        "\n".join(f"  {s!r}" for s in stale)
    )


def test_pages_are_english_for_an_english_browser(client):
    home = get(client, "/", "en")
    assert '<html lang="en">' in home
    assert HOME_EN in home or HOME_EN_PLAIN in home
    assert "How to report a bottleneck" in home
    assert HOME_NL not in home

    login = get(client, "/auth/login", "en-GB,en;q=0.9,nl;q=0.5")
    assert "Log in" in login and "Password" in login
    assert "Wachtwoord" not in login


def test_pages_are_dutch_by_default_and_for_a_dutch_browser(client):
    for language in (None, "nl", "nl-NL,nl;q=0.9", "fr"):
        home = get(client, "/", language)
        assert '<html lang="nl">' in home, language
        assert HOME_NL in home, language
        assert "How to report a bottleneck" not in home, language
    login = get(client, "/auth/login", "nl")
    assert "Wachtwoord" in login and "Password" not in login


# c. The language switch -------------------------------------------------------------


def test_language_switch_overrides_the_browser(client):
    response = post(client, "/language", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    home = get(client, "/", "nl")
    assert '<html lang="en">' in home and HOME_NL not in home
    assert HOME_EN in home or HOME_EN_PLAIN in home

    post(client, "/language", {"language": "nl", "next": "/"})
    home = get(client, "/", "en")
    assert '<html lang="nl">' in home and HOME_NL in home


def test_language_switch_ignores_an_unknown_language(client):
    response = post(client, "/language", {"language": "de", "next": "/"})
    assert response.status_code == 302
    home = get(client, "/", "nl")
    assert '<html lang="nl">' in home and HOME_NL in home

    post(client, "/language", {"language": "en", "next": "/"})
    post(client, "/language", {"language": "xx", "next": "/"})
    home = get(client, "/", "nl")
    assert '<html lang="en">' in home, "an unknown language must not reset the choice"


# d. Placeholders survive translation ------------------------------------------------


def test_translations_keep_the_placeholders_of_the_source():
    wrong = []
    for message in translated_entries(load_catalog()):
        if isinstance(message.id, tuple):  # plural: every form uses the same placeholders
            expected = set(placeholders(message.id[0])) | set(placeholders(message.id[1]))
            ok = all(set(placeholders(s)) == expected for s in message.string if s)
            source = message.id[0]
        else:
            ok = placeholders(message.string) == placeholders(message.id)
            source = message.id
        if not ok:
            wrong.append(f"  {source!r} -> {message.string!r}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_placeholder_check_sees_named_and_positional_placeholders():
    assert placeholders("Pagina %(page)d van %(pages)d") == Counter(["%(page)d", "%(pages)d"])
    assert placeholders("%(name)s is %s, 100%%") == Counter(["%(name)s", "%s", "%%"])
    assert placeholders("Page %(page)s of %(pages)d") != placeholders("Pagina %(page)d van %(n)d")
