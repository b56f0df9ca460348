"""Model fields that hold a rule of their own, so no code path can store a value that breaks it."""

from django.db import models

from helpers.skills import canonical_skill_name


class SkillNameField(models.CharField):
    """A skill name, always stored in its canonical spelling (helpers.skills.canonical_skill_name).

    `to_python` canonicalises, so forms (the admin) and serializers that clean through the field
    see the stored spelling; `pre_save` canonicalises again on every save and `bulk_create`, so
    a writer that forgets cannot store `nodejs` beside `Node.js`. Readers trust stored names.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_skill_name(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class UpperCodeField(models.CharField):
    """An ISO code (country, currency), always stored trimmed and upper case, as SkillNameField does."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().upper() if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


def canonicalise_stored_skill_names(model, owner_attname: str) -> int:
    """Rewrite stored skill names to their canonical spelling; for data migrations.

    Rows of one owner whose names become equal are merged into one, keeping the higher rating (the
    older row on a tie), as the recommendation engine already counted them. Returns rows changed or
    removed. Works on historical models, so it uses only plain queries.
    """
    groups: dict[tuple[int, str], list[tuple[int, str, int]]] = {}
    rows = model.objects.order_by("pk").values_list("pk", owner_attname, "name", "rating")
    for pk, owner_id, name, rating in rows.iterator(chunk_size=10_000):
        groups.setdefault((owner_id, canonical_skill_name(name).lower()), []).append((pk, name, rating))
    changed = 0
    for members in groups.values():
        name = canonical_skill_name(members[0][1])
        if len(members) == 1 and members[0][1] == name:
            continue
        keep = max(members, key=lambda row: (row[2], -row[0]))
        extra = [pk for pk, _, _ in members if pk != keep[0]]
        model.objects.filter(pk__in=extra).delete()
        model.objects.filter(pk=keep[0]).update(name=name, rating=keep[2])
        changed += len(members)
    return changed
