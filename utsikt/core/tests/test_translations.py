"""Every user-facing string has Swedish, and the compiled catalogue is the one the sources need."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "sv" / "LC_MESSAGES"


def _extract_into(copy: Path) -> polib.POFile:
    """Run the project's own `make messages` steps on a copy of the sources."""
    for part in ("utsikt", "config", "locale", "scripts", "manage.py"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / part)
    env = {
        "DJANGO_DEBUG": "1",
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "sv",
            "--no-obsolete",
            "--no-location",
            "--no-wrap",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "scripts/messages.py"], cwd=copy, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    return polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    return _extract_into(tmp_path_factory.mktemp("messages"))


def test_no_swedish_translation_is_missing(fresh: polib.POFile) -> None:
    untranslated = [e.msgid for e in fresh if not e.translated()]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_sources(fresh: polib.POFile) -> None:
    committed = polib.mofile(str(CATALOGUE / "django.mo"))

    def pairs(entries: polib._BaseFile) -> set[tuple[str, str]]:
        return {(e.msgid, e.msgstr or str(sorted(e.msgstr_plural.items()))) for e in entries}

    assert pairs(fresh) == pairs(committed), "run `make messages` and commit locale/"


def test_two_areas_translating_one_text_differently_fail_the_check(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "messages.py", tmp_path / "scripts" / "messages.py")
    areas = tmp_path / "locale" / "sv"
    areas.mkdir(parents=True)
    (areas / "grants.json").write_text('{"Staff week": "Staff Week", "Library": "Bibliotek"}')
    (areas / "mobility.json").write_text('{"Staff week": "Personalvecka", "Library": "Bibliotek"}')
    result = subprocess.run(
        [sys.executable, "scripts/messages.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Staff week" in result.stdout and "Library" not in result.stdout
    assert "grants.json" in result.stdout and "mobility.json" in result.stdout


def test_placeholders_survive_translation() -> None:
    for entry in polib.pofile(str(CATALOGUE / "django.po")):
        for placeholder in ("%(name)s", "%(counter)s", "%(minutes)s", "%(manager)s", "%(office)s"):
            if placeholder in entry.msgid:
                texts = (
                    [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
                )
                assert all(placeholder in text for text in texts), entry.msgid


def test_one_english_text_with_two_meanings_has_a_swedish_text_for_each() -> None:
    from django.utils import translation

    with translation.override("sv"):
        assert translation.pgettext("number of places", "places") == "antal platser"
        assert translation.gettext("places") == "orter"
    with translation.override("en"):
        assert translation.pgettext("number of places", "places") == "places"
