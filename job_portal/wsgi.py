import os

from django.core.wsgi import get_wsgi_application

from job_portal.environment import exit_on_configuration_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "job_portal.settings")
application = exit_on_configuration_error(get_wsgi_application, status=3)
