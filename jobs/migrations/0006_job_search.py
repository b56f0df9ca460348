"""Search: the stored full-text index (PostgreSQL tsvector + GIN + pg_trgm, SQLite FTS5), its
triggers, and the job data version (one row bumped by triggers). The SQL lives in jobs/search.py."""

from django.conf import settings
from django.db import migrations, models

from jobs.search import BACKWARD, FORWARD, schema_run


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0005_job_terms'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='JobDataVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['country', 'status'], name='jobs_job_country_status'),
        ),
        migrations.AddConstraint(
            model_name='jobdataversion',
            constraint=models.CheckConstraint(condition=models.Q(('id', 1)), name='jobs_jobdataversion_one_row'),
        ),
        migrations.RunSQL("INSERT INTO jobs_jobdataversion (id, version) VALUES (1, 0)", migrations.RunSQL.noop),
        migrations.RunPython(schema_run(FORWARD), schema_run(BACKWARD)),
    ]
