"""French and English are full translations: every message translated, none fuzzy, none stale."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["fr", "en"]
# Where makemessages looks: our code and templates, not the virtualenv, var/ or the tests.
IGNORE = [".venv", "var", "tests", "node_modules"]


def entries(po_file: Path):
    """(msgid, msgstr list, flags) for each entry of a .po file, header excluded.

    A small reader for the subset makemessages writes: msgctxt, msgid, msgid_plural, msgstr,
    msgstr[n], continuation lines and #, flags.
    """
    current, key, flags = None, None, set()
    for raw in po_file.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#~"):
            continue  # obsolete entries are not used
        elif line.startswith("msgid "):
            if current and current["msgid"]:
                yield current
            current, key = {"msgid": _unquote(line[6:]), "msgstr": [], "flags": flags}, "msgid"
            flags = set()
        elif line.startswith("msgid_plural "):
            key = "plural"
        elif line.startswith("msgstr"):
            current["msgstr"].append(_unquote(line.split(" ", 1)[1]))
            key = "msgstr"
        elif line.startswith('"') and current is not None:
            if key == "msgid":
                current["msgid"] += _unquote(line)
            elif key == "msgstr":
                current["msgstr"][-1] += _unquote(line)
    if current and current["msgid"]:
        yield current


def _unquote(text: str) -> str:
    return text.strip()[1:-1]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po_file = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po_file.exists(), f"run: manage.py makemessages -l {language}"
    untranslated = [e["msgid"] for e in entries(po_file) if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries(po_file) if "fuzzy" in e["flags"]]
    assert untranslated == [], (
        f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    )
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext is not installed here (Debian package gettext); CI machines have it",
)
def test_catalogues_are_up_to_date_with_the_code(tmp_path):
    """makemessages finds no message that the committed catalogues lack.

    makemessages writes into the project's own locale/ (it matches every source file's folder,
    whatever LOCALE_PATHS says), so the committed catalogues are kept aside and put back.
    """
    catalogues = [LOCALE / language / "LC_MESSAGES" / "django.po" for language in TRANSLATED]
    kept = {path: path.read_bytes() for path in catalogues}
    committed = {path: {e["msgid"] for e in entries(path)} for path in catalogues}
    try:
        call_command(
            "makemessages",
            locale=TRANSLATED,
            ignore_patterns=IGNORE,
            verbosity=0,
            no_obsolete=True,
        )
        fresh = {path: {e["msgid"] for e in entries(path)} for path in catalogues}
    finally:
        for path, content in kept.items():
            path.write_bytes(content)
    for path in catalogues:
        missing = fresh[path] - committed[path]
        assert missing == set(), f"new messages not in {path}: {sorted(missing)[:10]}"


@pytest.mark.skipif(
    shutil.which("msgfmt") is None,
    reason="GNU gettext is not installed here (Debian package gettext); CI machines have it",
)
@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogues_match_their_sources(tmp_path, language):
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", compiled, folder / "django.po"], check=True)
    assert compiled.read_bytes() == (folder / "django.mo").read_bytes(), "run: make messages"
