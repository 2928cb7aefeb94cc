from django.core.management.base import BaseCommand

from directory.open_intervals import rebuild_all


class Command(BaseCommand):
    help = (
        "Rewrite the open-now index (every service's weekly open stretches) from the "
        "hours. Publishing, imports and edits keep it up to date; this is for repairs."
    )

    def handle(self, *args, verbosity, **options):
        count = rebuild_all()
        if verbosity >= 1:
            self.stdout.write(f"Rewrote the open-now rows of {count:,} services.")
