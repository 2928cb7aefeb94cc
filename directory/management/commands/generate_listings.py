from django.core.management.base import BaseCommand, CommandError

from directory.generate import generate_listings


class Command(BaseCommand):
    help = (
        "Create N realistic synthetic services (with organizations and locations in the "
        "Chicago metro area) for benchmarks. The same seed gives the same listings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, required=True, help="How many services.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--organizations",
            type=int,
            default=None,
            help="How many organizations (default: one per five services).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Services written per transaction (default 2000).",
        )

    def handle(self, *args, services, seed, organizations, batch_size, verbosity, **options):
        if services < 0:
            raise CommandError("--services must be zero or more.")
        if organizations is not None and organizations < 1:
            raise CommandError("--organizations must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        log = self.stdout.write if verbosity >= 1 else None
        result = generate_listings(
            services=services,
            seed=seed,
            organizations=organizations,
            batch_size=batch_size,
            log=log,
        )
        if verbosity >= 1:
            rate = result.services / result.seconds if result.seconds else 0
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {result.services:,} services, {result.organizations:,} "
                    f"organizations and {result.locations:,} locations in "
                    f"{result.seconds:.1f} s ({rate:,.0f} services/s)."
                )
            )
