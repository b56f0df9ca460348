"""The one rule for text a client sends: what may appear in a name, a short text and a long text.

Names and short texts (a skill, a title, a city) refuse every control character (C0, DEL, C1), the
bidi controls that make `evil\u202egpj.exe` read as `evilexe.jpg`, and the other invisible format
characters (zero-width space, soft hyphen, BOM...). Long texts (a bio, a job description) may also
hold tab, newline and carriage return. Zero-width joiner and non-joiner are allowed next to visible
text, because emoji sequences and several scripts (Persian, Hindi) need them. A value made only of
spaces and invisible characters counts as blank.

`text_problem` is the pure rule; `CleanCharField` applies it to a serializer field, and
`CleanTextSerializerMixin` makes every CharField/TextField of a ModelSerializer one of those.
Query parameters that hold names (`?skill=`) use `text_problem` too.
"""

import unicodedata

from django import forms
from django.db import models
from rest_framework import serializers

LONG_TEXT_WHITESPACE = frozenset("\t\n\r")
JOINERS = frozenset("\u200c\u200d")
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

CONTROL = "control"
BIDI = "bidi"
INVISIBLE = "invisible"
BLANK = "blank"

MESSAGES = {
    CONTROL: "Control characters are not allowed here.",
    BIDI: "Text direction control characters are not allowed.",
    INVISIBLE: "Invisible formatting characters are not allowed.",
    BLANK: "This field may not be blank.",
}


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """The first reason `value` is refused (a key of MESSAGES), or None when it is acceptable.

    `multiline` allows tab, newline and carriage return. A value whose every character is a space
    or an invisible character is BLANK (so `"\u200d\u200d"` is blank, not a skill).
    """
    visible = False
    for char in value:
        category = unicodedata.category(char)
        if char in BIDI_CONTROLS:
            return BIDI
        if category == "Cc":
            if not (multiline and char in LONG_TEXT_WHITESPACE):
                return CONTROL
        elif category == "Cf":
            if char not in JOINERS:
                return INVISIBLE
        elif category not in ("Zs", "Zl", "Zp"):
            visible = True
    if value and not visible:
        return BLANK
    return None


class CleanCharField(serializers.CharField):
    """DRF's CharField with the rule above; `multiline=True` for long texts (bio, description)."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str):
            problem = text_problem(data, multiline=self.multiline)
            if problem == BLANK:
                data = ""  # DRF then answers "may not be blank" or stores "" where blank is allowed
            elif problem is not None:
                raise serializers.ValidationError(MESSAGES[problem], code=problem)
        return super().run_validation(data)


class CleanURLField(CleanCharField, serializers.URLField):
    """A URL the client writes (a webhook's), under the same rule before DRF's URL check."""


class CleanTextSerializerMixin:
    """For ModelSerializers: model CharFields become `CleanCharField`, TextFields multiline ones."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.CharField:
            field_class = CleanCharField
            field_kwargs["multiline"] = isinstance(model_field, models.TextField)
        return field_class, field_kwargs


def clean_query_text(value: str) -> str:
    """A name sent as a query parameter (`?skill=`): the short-text rule, as a form error."""
    problem = text_problem(value)
    if problem is not None and problem != BLANK:
        raise forms.ValidationError(MESSAGES[problem], code=problem)
    return value
