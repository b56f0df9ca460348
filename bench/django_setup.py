"""Imported first by each benchmark script: Django set up for timing.

No DEBUG (query logging would slow every query and hold its SQL in memory), a throwaway secret key
unless one is set, and no warning about the static files the benchmarks never serve.
"""

import os
import warnings

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "job_portal.settings")
os.environ["DEBUG"] = "False"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789abcdef")
django.setup()
warnings.filterwarnings("ignore", message="No directory at")
