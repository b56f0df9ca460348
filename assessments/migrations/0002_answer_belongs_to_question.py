"""Constraints, and the database-level guarantee that a stored answer belongs to its question.

Django has no composite foreign keys, so the rule is written per vendor:
- PostgreSQL: a composite foreign key (answer_id, question_id) -> answer (id, question_id),
  immediate (not deferred), so the INSERT itself fails; moving a chosen answer to another question
  is refused by the same key.
- SQLite: triggers with the same effect (SQLite cannot add a foreign key to an existing table).
  A later migration that makes Django rebuild the useranswer or answer table on SQLite drops these
  triggers; `test_database_refuses_an_answer_of_another_question` catches that.
"""

from django.db import migrations, models

PG_FORWARD = [
    """
    ALTER TABLE assessments_useranswer
    ADD CONSTRAINT assessments_useranswer_answer_of_question
    FOREIGN KEY (answer_id, question_id) REFERENCES assessments_answer (id, question_id)
    ON DELETE CASCADE
    """,
]
PG_BACKWARD = [
    "ALTER TABLE assessments_useranswer DROP CONSTRAINT assessments_useranswer_answer_of_question",
]

_NOT_ITS_QUESTION = """
    WHEN NOT EXISTS (
        SELECT 1 FROM assessments_answer WHERE id = NEW.answer_id AND question_id = NEW.question_id
    )
    BEGIN SELECT RAISE(ABORT, 'assessments: the answer does not belong to the question'); END
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER assessments_useranswer_answer_of_question_insert "
    "BEFORE INSERT ON assessments_useranswer FOR EACH ROW" + _NOT_ITS_QUESTION,
    "CREATE TRIGGER assessments_useranswer_answer_of_question_update "
    "BEFORE UPDATE OF answer_id, question_id ON assessments_useranswer FOR EACH ROW" + _NOT_ITS_QUESTION,
    """
    CREATE TRIGGER assessments_answer_question_locked
    BEFORE UPDATE OF question_id ON assessments_answer FOR EACH ROW
    WHEN NEW.question_id <> OLD.question_id
        AND EXISTS (SELECT 1 FROM assessments_useranswer WHERE answer_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'assessments: a chosen answer cannot move to another question'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS assessments_useranswer_answer_of_question_insert",
    "DROP TRIGGER IF EXISTS assessments_useranswer_answer_of_question_update",
    "DROP TRIGGER IF EXISTS assessments_answer_question_locked",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="useranswer",
            options={"ordering": ["id"]},
        ),
        migrations.AlterField(
            model_name="question",
            name="is_active",
            field=models.BooleanField(db_index=True, default=True),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(fields=("id", "question"), name="assessments_answer_id_question"),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.CheckConstraint(
                condition=models.Q(("text", ""), _negated=True), name="assessments_answer_text_not_blank"
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(("text", ""), _negated=True), name="assessments_question_text_not_blank"
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
