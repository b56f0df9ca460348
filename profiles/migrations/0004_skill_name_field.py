"""Skill names are canonicalised by their field; rewrite stored names that predate it (merging duplicates)."""

from django.db import migrations

import helpers.fields


def canonicalise_names(apps, schema_editor):
    helpers.fields.canonicalise_stored_skill_names(apps.get_model("profiles", "UserSkill"), "user_id")


class Migration(migrations.Migration):

    dependencies = [
        ('profiles', '0003_profile_city'),
    ]

    operations = [
        migrations.AlterField(
            model_name='userskill',
            name='name',
            field=helpers.fields.SkillNameField(max_length=100),
        ),
        migrations.RunPython(canonicalise_names, migrations.RunPython.noop),
    ]
