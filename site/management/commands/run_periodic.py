from django.core.management.base import BaseCommand

from steward.periodic import run_due_jobs


class Command(BaseCommand):
    help = "Run every periodic job that is due (idempotent: safe from cron every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run every job, due or not.")
        parser.add_argument("--quiet", action="store_true", help="Print only failures.")

    def handle(self, *args, force=False, quiet=False, **options):
        outcomes = run_due_jobs(force=force)
        failed = [(name, outcome) for name, outcome in outcomes if outcome != "ok"]
        if not quiet:
            if not outcomes:
                self.stdout.write("No periodic job is due.")
            for name, outcome in outcomes:
                self.stdout.write(f"{name}: {outcome}")
        for name, outcome in failed:
            self.stderr.write(f"{name}: {outcome}")
        if failed:
            raise SystemExit(1)
