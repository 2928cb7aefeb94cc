from django.core.management.base import BaseCommand

from review.queue.scan import scan


class Command(BaseCommand):
    help = "Scan the listings for the review queue's triggers; create and close items."

    def handle(self, *args, **options):
        result = scan()
        for item in result.created:
            self.stdout.write(
                f"created  {item.get_kind_display():<12} page {item.page_id}: {item.reason}"
            )
        for item in result.closed:
            self.stdout.write(f"closed   {item.get_kind_display():<12} page {item.page_id}")
        self.stdout.write(self.style.SUCCESS(f"Review scan: {result}."))
