from django.apps import AppConfig


class HelpersConfig(AppConfig):
    """helpers is an app only to own the shared cache's table (helpers.models.CacheEntry)."""

    name = "helpers"
    default_auto_field = "django.db.models.BigAutoField"
