"""`manage.py export_metadata OUT.json|OUT.csv`: HSDS 3.0 metadata records."""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from history.metadata import FIELDS, metadata_records, validator


class Command(BaseCommand):
    help = (
        "Export field-level changes as HSDS 3.0 `metadata` records (JSON array, or CSV "
        "when OUT ends in .csv), each validated against the HSDS metadata schema."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="OUT.json or OUT.csv ('-' for JSON on stdout)")
        parser.add_argument("--format", choices=["json", "csv"], help="default: from OUT")

    def handle(self, *args, out, format=None, **options):
        fmt = format or ("csv" if out.endswith(".csv") else "json")
        check = validator()
        count = 0

        def checked():
            nonlocal count
            for record in metadata_records():
                errors = sorted(check.iter_errors(record), key=lambda e: list(e.path))
                if errors:
                    raise CommandError(
                        f"record {record['id']} breaks the HSDS metadata schema: "
                        f"{errors[0].message}"
                    )
                count += 1
                yield record

        if out == "-":
            self.stdout.write(json.dumps(list(checked()), indent=2))
            return
        path = Path(out)
        if not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        with path.open("w", encoding="utf-8", newline="") as handle:
            if fmt == "csv":
                writer = csv.DictWriter(handle, fieldnames=FIELDS)
                writer.writeheader()
                for record in checked():
                    writer.writerow(record)
            else:
                handle.write("[\n")
                for n, record in enumerate(checked()):
                    handle.write((",\n" if n else "") + json.dumps(record))
                handle.write("\n]\n")
        self.stdout.write(f"Wrote {count} metadata records to {path}.")
