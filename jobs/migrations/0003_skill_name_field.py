"""Skill names are canonicalised by their field; rewrite stored names that predate it (merging duplicates)."""

from django.db import migrations

import helpers.fields


def canonicalise_names(apps, schema_editor):
    helpers.fields.canonicalise_stored_skill_names(apps.get_model("jobs", "JobSkill"), "job_id")


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0002_job_constraints_and_owner_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='jobskill',
            name='name',
            field=helpers.fields.SkillNameField(db_index=True, max_length=100),
        ),
        migrations.RunPython(canonicalise_names, migrations.RunPython.noop),
    ]
