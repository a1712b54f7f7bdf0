"""Simplified Chinese by default, English selectable, and the zh-Hans catalogue complete."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

import anwen

pytestmark = pytest.mark.req("PL10")

SOURCE = Path(anwen.__file__).resolve().parent
PO = SOURCE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_string_in_the_catalogue_is_translated():
    po = polib.pofile(str(PO))
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()


def test_the_compiled_catalogue_matches_its_source():
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in mo}
    for entry in po.translated_entries():
        text = entry.msgstr or entry.msgstr_plural.get(0)
        assert compiled.get((entry.msgctxt, entry.msgid)) == text, entry.msgid


@pytest.mark.skipif(
    not shutil.which("xgettext") and not os.environ.get("CI"),
    reason="GNU gettext is not installed (CI installs it)",
)
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path, monkeypatch):
    tree = tmp_path / "anwen"
    shutil.copytree(
        SOURCE,
        tree,
        ignore=shutil.ignore_patterns("tests", "testing", "__pycache__", "*.mo", "static"),
    )
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[tree / "locale"]):
        call_command("makemessages", locale=["zh_Hans"], no_location=True, verbosity=0)
    po = polib.pofile(str(tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    assert not missing, f"untranslated: {missing}; run makemessages and translate them"


@pytest.mark.django_db
def test_pages_are_in_chinese_by_default_and_english_on_request(world, login):
    client = login(world.users["school"])
    chinese = client.get("/").content.decode()
    assert "首页" in chinese and 'lang="zh-CN"' in chinese
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/").content.decode()
    assert "Home" in english and "首页" not in english and 'lang="en"' in english


@pytest.mark.django_db
def test_chinese_is_the_default_whatever_the_browser_asks_and_the_switch_sticks(client):
    assert "登录" in client.get("/login/").content.decode()
    assert "登录" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Log in" in client.get("/login/").content.decode()
