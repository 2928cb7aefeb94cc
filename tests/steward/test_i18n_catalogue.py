"""CI check: `manage.py messages --check` (run by `make check`) fails when makemessages
finds a string with no Spanish, and when the committed .mo lags behind its .po."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command

import polib
import pytest

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"


def tree(tmp_path, template):
    """A project tree: one template and a copy of the real Spanish catalogue."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(template, encoding="utf-8")
    shutil.copytree(CATALOGUE, tmp_path / "locale" / "es" / "LC_MESSAGES")
    return tmp_path


def test_the_project_has_no_untranslated_string(capsys):
    call_command("messages", "--check")
    assert "Every string is translated (es)." in capsys.readouterr().out


def test_a_new_template_string_without_spanish_fails_the_check(tmp_path):
    root = tree(tmp_path, '{% load i18n %}<p>{% translate "Brand new words" %}</p>')
    with pytest.raises(CommandError) as error:
        call_command("messages", "--check", root=str(root))
    assert "untranslated: 'Brand new words'" in str(error.value)


def test_a_translated_template_string_passes(tmp_path):
    root = tree(tmp_path, '{% load i18n %}<p>{% translate "Search" %}</p>')
    call_command("messages", "--check", root=str(root))


def test_an_untranslated_plural_and_a_fuzzy_entry_fail(tmp_path):
    root = tree(
        tmp_path,
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} service"
        "{% plural %}{{ counter }} services{% endblocktranslate %}{% translate 'Search' %}",
    )
    po_path = root / "locale" / "es" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.find("%(counter)s service").msgstr_plural[1] = ""
    po.find("Search").flags.append("fuzzy")
    po.save()
    with pytest.raises(CommandError) as error:
        call_command("messages", "--check", root=str(root))
    assert "untranslated plural: '%(counter)s service'" in str(error.value)
    assert "fuzzy (check the translation): 'Search'" in str(error.value)


def test_a_compiled_catalogue_older_than_its_po_fails(tmp_path):
    root = tree(tmp_path, '{% load i18n %}<p>{% translate "Search" %}</p>')
    po_path = root / "locale" / "es" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.find("Search").msgstr = "Busque"
    po.save()
    with pytest.raises(CommandError) as error:
        call_command("messages", "--check", root=str(root))
    assert "django.mo is out of date with its .po" in str(error.value)


def test_without_xgettext_the_check_fails_and_says_what_to_install(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name == "xgettext" else real_which(name)
    )
    with pytest.raises(CommandError) as error:
        call_command("messages", "--check")
    assert "apt-get install gettext" in str(error.value)
