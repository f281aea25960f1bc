"""The committed translation catalogues are complete, compiled, and used by default.

Chinese is the portal's default language, so a string left untranslated or fuzzy shows in
English to every user, and a .mo that was not recompiled after the .po changed silently
serves the old text. Run `manage.py makemessages -l zh_Hans --no-location --no-obsolete
--ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests`, translate, then
`manage.py compilemessages -l zh_Hans --ignore=.venv`.
"""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

CATALOGUES = sorted(
    po for locale_path in settings.LOCALE_PATHS for po in Path(locale_path).glob("*/LC_MESSAGES/*.po")
)
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")


def read_po(path):
    """The entries of a .po file as dicts (msgctxt, msgid, msgid_plural, msgstr by index, flags).

    A small reader instead of polib, which the project does not otherwise need. Entries are
    separated by blank lines, as gettext writes them; obsolete entries (#~) are comments here,
    as they are to msgfmt.
    """
    entries = []
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8")):
        entry, field = {"flags": set(), "msgstr": {}}, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif not line or line.startswith("#"):
                continue
            elif line.startswith('"'):
                if field[0] == "msgstr":
                    entry["msgstr"][field[1]] += ast.literal_eval(line)
                else:
                    entry[field[0]] += ast.literal_eval(line)
            else:
                keyword, _space, value = line.partition(" ")
                if keyword.startswith("msgstr"):
                    field = ("msgstr", int(keyword[7:-1]) if "[" in keyword else 0)
                    entry["msgstr"][field[1]] = ast.literal_eval(value)
                else:
                    field = (keyword,)
                    entry[keyword] = ast.literal_eval(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _key(entry):
    msgid = entry["msgid"]
    if "msgctxt" in entry:
        msgid = f"{entry['msgctxt']}\x04{msgid}"
    if "msgid_plural" in entry:
        return (msgid, 0)
    return msgid


def catalogue_of(mo_path):
    """What a compiled catalogue serves: {msgid or (msgid, n): translation}, header aside."""
    with open(mo_path, "rb") as fp:
        catalog = gettext.GNUTranslations(fp)._catalog
    return {key: value for key, value in catalog.items() if key != ""}


def test_there_is_a_catalogue_for_the_default_language():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert any(po.parts[-3] == "zh_Hans" for po in CATALOGUES), CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: "/".join(po.parts[-3:]))
def test_catalogue_is_complete(po):
    entries = read_po(po)
    header = next(entry for entry in entries if entry["msgid"] == "")
    assert "fuzzy" not in header["flags"], f"{po}: the header is marked fuzzy; msgfmt would drop it"
    assert "charset=UTF-8" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=" in header["msgstr"][0]
    assert "Language: " + po.parts[-3] in header["msgstr"][0]
    messages = [entry for entry in entries if entry["msgid"] != ""]
    assert messages
    fuzzy = [entry["msgid"] for entry in messages if "fuzzy" in entry["flags"]]
    untranslated = [entry["msgid"] for entry in messages if not all(entry["msgstr"].values())]
    assert not fuzzy, f"{po}: {len(fuzzy)} fuzzy entries, e.g. {fuzzy[:5]}"
    assert not untranslated, f"{po}: {len(untranslated)} untranslated entries, e.g. {untranslated[:5]}"


@needs_msgfmt
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: "/".join(po.parts[-3:]))
def test_committed_mo_matches_the_po(po, tmp_path):
    # Compare what the catalogues serve, not file bytes or times: msgfmt versions lay out
    # .mo files differently, and a git checkout gives both files arbitrary mtimes, so a
    # stale .mo is one whose translations differ from a fresh compilation of its .po.
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run manage.py compilemessages"
    fresh = tmp_path / "fresh.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(po)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"msgfmt --check {po}:\n{result.stderr}"
    expected, committed = catalogue_of(fresh), catalogue_of(mo)
    stale = sorted(str(key) for key in expected.keys() | committed.keys() if expected.get(key) != committed.get(key))
    assert not stale, f"{mo} is out of date for {len(stale)} messages, e.g. {stale[:5]}: run manage.py compilemessages"
    served = {_key(entry) for entry in read_po(po) if entry["msgid"]}
    assert served <= expected.keys()


def test_our_catalogue_wins_over_third_party_ones():
    # Several installed apps translate the same English words for their own models
    # (django-celery-beat's "name" is 任务名); our verbose names must come from our catalogue.
    with translation.override("zh-hans"):
        assert translation.gettext("name") == "名称"
        assert translation.gettext("full name") == "姓名"
        assert translation.gettext("Log in") == "登录"


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get("/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page
    assert "Log in" not in page


@pytest.mark.django_db
def test_login_page_follows_the_browser_language(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "Log in" in page
    assert "登录" not in page
