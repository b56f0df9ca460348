"""The availabilities' one-per-user index carries the type, so a whole ranking reads every listed
candidate's availability by an index-only merge in id order (jobs.aligned).

Only PostgreSQL builds it: SQLite has no covering indexes, and Django would rebuild the table there
to swap the constraint, dropping its candidate data version triggers (profiles 0007); its unique
index on the user stays as it was.
"""

from django.db import migrations, models

OLD = models.UniqueConstraint(fields=("user",), name="profiles_availability_one_per_user")
NEW = models.UniqueConstraint(
    fields=("user",), include=("availability_type",), name="profiles_availability_one_per_user"
)


def _swap(remove, add):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        availability = apps.get_model("profiles", "Availability")
        schema_editor.remove_constraint(availability, remove)
        schema_editor.add_constraint(availability, add)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0011_listed_blocks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="availability", name="profiles_availability_one_per_user"),
                migrations.AddConstraint(model_name="availability", constraint=NEW),
            ],
            database_operations=[migrations.RunPython(_swap(OLD, NEW), _swap(NEW, OLD))],
        ),
    ]
