"""Admin forms shared by the skill inlines of jobs and candidates (no app imports: model-agnostic)."""

from django import forms
from django.forms.models import BaseInlineFormSet

from helpers.skills import canonical_skill_name


class SkillRatingForm(forms.ModelForm):
    """A skill row: the rating's 1-10 range is a form error next to the field, not a database error."""

    rating = forms.IntegerField(min_value=1, max_value=10)

    def clean_name(self):
        """The form field is a plain CharField: the canonical spelling is what duplicates compare."""
        return canonical_skill_name(self.cleaned_data.get("name") or "")


class CanonicalSkillInlineFormSet(BaseInlineFormSet):
    """One row per skill whatever its spelling: `nodejs` beside `Node.js` is an error next to the name
    instead of a unique-constraint failure on save. Names arrive canonical (SkillRatingForm), and
    every saved row is one of the formset's forms, so comparing the forms covers the stored skills
    too."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            name = data.get("name")
            if not name or data.get("DELETE"):
                continue
            if name.casefold() in seen:
                form.add_error("name", f"{name} is already listed (in this or another spelling).")
            seen.add(name.casefold())
