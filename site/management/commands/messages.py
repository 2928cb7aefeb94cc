"""The interface catalogues: update them, or check that nothing is left untranslated.

    manage.py messages           makemessages + compile, for every language but English
    manage.py messages --check   fail if a msgid of the templates or the Python code is
                                 missing from a catalogue, has an empty (or fuzzy)
                                 msgstr, or the committed .mo differs from its .po

The check runs makemessages on a copy of the tree in a temporary folder, so the
working tree is never touched. It needs GNU gettext's xgettext (apt-get install
gettext); without it the check fails, it never skips.
"""

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

# Folders makemessages does not read: no user-facing strings there.
IGNORE = [".venv", ".git", "tests", "bench", "docs", "staticfiles", "media", "node_modules"]


def target_languages():
    """Every language of settings.LANGUAGES except the source language (English)."""
    return [code for code, _name in settings.LANGUAGES if code != "en"]


@contextlib.contextmanager
def _cwd(path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _copy_tree(root, into):
    ignore = shutil.ignore_patterns(*IGNORE, "__pycache__", "*.pyc", "*.sqlite3*")
    for child in Path(root).iterdir():
        if child.name in IGNORE or child.name.startswith("."):
            continue
        if child.is_dir():
            shutil.copytree(child, into / child.name, ignore=ignore)
        elif child.suffix in (".py", ".html", ".txt"):
            shutil.copy2(child, into / child.name)


def untranslated(root, languages):
    """{language: [problem, ...]} for the tree at `root` (its own locale/ folder)."""
    import polib

    if shutil.which("xgettext") is None:
        raise CommandError(
            "The catalogue check needs GNU gettext's xgettext, which is not installed. "
            "Install it (apt-get install gettext) and run again."
        )
    problems = {}
    with tempfile.TemporaryDirectory(prefix="steward-messages-") as tmp:
        copy = Path(tmp)
        _copy_tree(root, copy)
        with _cwd(copy), override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command(
                "makemessages",
                locale=languages,
                ignore_patterns=IGNORE,
                no_obsolete=True,
                verbosity=0,
            )
        for language in languages:
            found = []
            po_path = copy / "locale" / language / "LC_MESSAGES" / "django.po"
            po = polib.pofile(str(po_path))
            for entry in po:
                if entry.obsolete:
                    continue
                name = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}|{entry.msgid}"
                if "fuzzy" in entry.flags:
                    found.append(f"fuzzy (check the translation): {name!r}")
                elif entry.msgid_plural:
                    if not all(entry.msgstr_plural.values()):
                        found.append(f"untranslated plural: {name!r}")
                elif not entry.msgstr:
                    found.append(f"untranslated: {name!r}")
            committed = Path(root) / "locale" / language / "LC_MESSAGES"
            found += _stale_mo(committed)
            if found:
                problems[language] = found
    return problems


def _stale_mo(folder):
    """The committed .mo must say what its .po says (compile with `manage.py messages`)."""
    import polib

    po_path, mo_path = folder / "django.po", folder / "django.mo"
    if not po_path.exists():
        return [f"no catalogue at {po_path}"]
    if not mo_path.exists():
        return [f"{mo_path} is missing: run `manage.py messages`"]

    def table(catalogue):
        rows = {}
        for entry in catalogue:
            if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
                continue
            key = (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
            rows[key] = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
        return rows

    if table(polib.pofile(str(po_path))) != table(polib.mofile(str(mo_path))):
        return [f"{mo_path} is out of date with its .po: run `manage.py messages`"]
    return []


class Command(BaseCommand):
    help = "Update the interface catalogues, or (--check) fail on any untranslated string."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Change nothing; fail on gaps.")
        parser.add_argument("--root", default=str(settings.BASE_DIR), help=argparse_help())

    def handle(self, *args, check=False, root=None, **options):
        languages = target_languages()
        if check:
            problems = untranslated(Path(root), languages)
            if problems:
                lines = [f"{lang}: {p}" for lang, found in problems.items() for p in found]
                raise CommandError(
                    "The catalogues are incomplete:\n  "
                    + "\n  ".join(lines)
                    + "\nRun `make messages`, translate every empty msgstr in "
                    "locale/<language>/LC_MESSAGES/django.po, then `make messages` again."
                )
            self.stdout.write(f"Every string is translated ({', '.join(languages)}).")
            return
        with _cwd(root):
            call_command("makemessages", locale=languages, ignore_patterns=IGNORE, no_obsolete=True)
            _compile(Path(root), languages)


def _compile(root, languages):
    """.po -> .mo with polib (no msgfmt needed; the .mo is committed)."""
    import polib

    for language in languages:
        folder = root / "locale" / language / "LC_MESSAGES"
        polib.pofile(str(folder / "django.po")).save_as_mofile(str(folder / "django.mo"))


def argparse_help():
    return "The tree to check (default: the project). Its locale/ holds the catalogues."
