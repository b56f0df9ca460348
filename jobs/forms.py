"""The admin's job form: countries, currencies and remote regions picked from their ISO lists.

The model keeps plain code columns (so a pycountry update needs no migration); this form offers
them as named choices. The rules that tie fields together are `Job.clean` (jobs.models.job_terms_errors).
"""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple

from helpers.geo import COUNTRY_NAMES, CURRENCY_NAMES, remote_region_choices
from jobs.models import Job


def _named(names: dict[str, str]) -> list[tuple[str, str]]:
    return [
        ("", "---------"),
        *sorted(((code, f"{name} ({code})") for code, name in names.items()), key=lambda c: c[1]),
    ]


class JobAdminForm(forms.ModelForm):
    country = forms.ChoiceField(choices=_named(COUNTRY_NAMES), required=False)
    salary_currency = forms.ChoiceField(choices=_named(CURRENCY_NAMES), required=False)
    remote_regions = forms.MultipleChoiceField(
        choices=remote_region_choices,
        required=False,
        widget=FilteredSelectMultiple("countries or regions", is_stacked=False),
        help_text="For a remote job: where applicants may live. None selected: anywhere.",
    )

    class Meta:
        model = Job
        fields = "__all__"  # noqa: DJ007 - the admin (JobAdmin) decides which fields it shows
