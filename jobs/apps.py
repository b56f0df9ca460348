from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"

    def ready(self):
        """Every app's admin shows a candidate's contact details by the one rule of jobs.contact."""
        from accounts.recruiters import contact_rule_set
        from jobs.contact import candidates_sharing_contact_with

        contact_rule_set(candidates_sharing_contact_with)
