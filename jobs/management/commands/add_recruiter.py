"""`manage.py add_recruiter EMAIL --company COMPANY_EMAIL`: a staff login working one company's pipeline."""

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from accounts.models import UserAccount
from jobs.services import RecruiterRefused, recruiter_add


class Command(BaseCommand):
    help = (
        "Create (or upgrade) a staff login in the Recruiters group acting for a company in the admin. "
        "The password of a new login comes from RECRUITER_PASSWORD or a prompt. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "email", help="the recruiter's email (the company's own email: it becomes its recruiter)"
        )
        parser.add_argument(
            "--company", required=True, metavar="COMPANY_EMAIL", help="the company account's email"
        )

    def handle(self, *args, email, company, **options):
        password = os.environ.get("RECRUITER_PASSWORD")
        is_new = not UserAccount.objects.filter(email=UserAccount.objects.normalize_email(email)).exists()
        if password is None and is_new and sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            account, created = recruiter_add(email=email, company_email=company, password=password)
        except RecruiterRefused as error:
            raise CommandError(str(error)) from error
        verb = "created as" if created else "is"
        self.stdout.write(f"{account.email} {verb} a recruiter for {account.recruiter_for.email}.")
