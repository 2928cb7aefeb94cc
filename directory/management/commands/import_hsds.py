"""python manage.py import_hsds PATH [--source NAME]"""

from django.core.management.base import BaseCommand, CommandError

from directory.hsds.importer import import_package
from directory.hsds.readers import PackageError


class Command(BaseCommand):
    help = (
        "Import an HSDS package: a folder or .zip of CSV files (HSDS 1.x-3.x or the "
        "Ohana API's dialect) or an HSDS 3.0 JSON file. Safe to run again: unchanged "
        "listings are left alone, changed ones get a new published revision."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Folder, .zip, .csv or .json file")
        parser.add_argument(
            "--source",
            help="A name for this data source (default: the folder or file name). "
            "Re-imports of the same source update what earlier imports created.",
        )
        parser.add_argument(
            "--show",
            type=int,
            default=50,
            help="How many skipped rows and warnings to list (default 50; 0 for none).",
        )

    def handle(self, *args, path, source=None, show=50, **options):
        try:
            report = import_package(path, source=source, stdout=self.stdout)
        except PackageError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.summary_lines():
            self.stdout.write(line)
        # Every organization that failed whole is named, whatever --show says.
        for title, reason in report.failed_organizations:
            self.stdout.write(
                f"  organization “{title}” not imported, nothing of it saved: {reason}"
            )
        self._list("Skipped", report.skipped, show)
        self._list("Warnings", report.warnings, show)
        if not report.imported:
            raise CommandError("Nothing could be imported; see the skipped rows above.")
        self.stdout.write(self.style.SUCCESS("Done."))

    def _list(self, title, issues, show):
        if not issues:
            return
        self.stdout.write(f"{title}: {len(issues)}")
        for issue in issues[:show]:
            self.stdout.write(f"  {issue}")
        if len(issues) > show > 0:
            self.stdout.write(f"  … and {len(issues) - show} more (use --show to list more)")
