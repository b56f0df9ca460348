#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "job_portal.settings")
    from django.core.management import execute_from_command_line

    from job_portal.environment import exit_on_configuration_error

    exit_on_configuration_error(lambda: execute_from_command_line(sys.argv))


if __name__ == "__main__":
    main()
