from django.apps import AppConfig
from django.db.models.signals import post_delete


class ProfilesConfig(AppConfig):
    name = "profiles"

    def ready(self):
        from profiles.pictures import SLOTS, delete_files_of_deleted_row

        for model in SLOTS:
            post_delete.connect(delete_files_of_deleted_row, sender=model, dispatch_uid=f"pictures-{model}")
