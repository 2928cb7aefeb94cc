from django.conf import settings
from django.core.management.base import BaseCommand

from directory.demo import seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo organizations, listings and one user per role, once. "
        "A second run changes nothing. Passwords are printed only when DEBUG is on."
    )

    def handle(self, *args, **options):
        result = seed_demo()
        if not result.created:
            self.stdout.write("Demo data is already loaded; skipped.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.organizations} demo organizations with {result.services} services."
            )
        )
        self.stdout.write("Sign in at /admin/ as:")
        for user in result.users:
            line = f"  {user.username:<14} {user.role}"
            if user.organization:
                line += f", {user.organization}"
            if user.password:
                line += f"  (password: {user.password})"
            self.stdout.write(line)
        if not settings.DEBUG:
            self.stdout.write(
                "Passwords are random and not shown (DEBUG is off). "
                "Set one with: manage.py changepassword <name>"
            )
