"""`manage.py insert_dev`: seed developers (see profiles/seeding)."""

import sys

from django.core.management.base import BaseCommand

from profiles.seeding.synthetic import create_synthetic_developers


class Command(BaseCommand):
    help = "Seed developers: --synthetic N --seed S generates N benchmark developers."

    def add_arguments(self, parser):
        parser.add_argument("--synthetic", type=int, metavar="N", help="generate N synthetic developers")
        parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed for --synthetic")

    def handle(self, *args, **options):
        created = create_synthetic_developers(options["synthetic"], options["seed"])
        self.stdout.write(
            f"created {created}, updated 0, unchanged {options['synthetic'] - created}, skipped 0"
        )
        sys.stdout.flush()
