"""What every list's query parameters share: their limits, database ids and a paging-safe ordering."""

import django_filters
from django import forms

MAX_ID = 2**63 - 1
"""The largest database id (a signed 64-bit key): larger numbers are refused before any query."""

MAX_SKILLS = 20
"""Skills one request may filter on."""

MAX_SEARCH_TERMS = 10
"""Words of `?search=` that are matched; the rest are ignored."""

MAX_SEARCH_LENGTH = 200


class IdField(forms.IntegerField):
    """A database id: a whole number that fits a 64-bit key, so the query never overflows."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """`?company=7`; `7.5`, `abc` or an id beyond any key is a 400."""

    field_class = IdField


class StableOrderingFilter(django_filters.OrderingFilter):
    """The chosen ordering, then `tiebreak` (an id), so limit/offset pages never repeat or skip rows."""

    def __init__(self, *args, tiebreak: str = "id", **kwargs):
        self.tiebreak = tiebreak
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or [] if param]
        return qs.order_by(*ordering, self.tiebreak) if ordering else qs
