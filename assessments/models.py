from django.conf import settings
from django.db import models


class Question(models.Model):
    """A multiple-choice question; the test is the active questions in `position` order.

    An active question needs at least one correct answer. The database cannot express a rule
    across rows of another table, so the admin formset and `import_questions` enforce it.
    """

    text = models.TextField(max_length=5000)
    position = models.PositiveIntegerField(unique=True)
    is_active = models.BooleanField(default=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="assessments_question_text_not_blank"),
        ]

    def __str__(self):
        return self.text[:80]


class Answer(models.Model):
    """One option of a question. `is_correct` is for scoring and the admin only, never for candidates."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField(max_length=1000)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question_id", "id"]
        constraints = [
            # The target of UserAnswer's composite check "this answer belongs to this question"
            # (migration 0002: a composite foreign key on PostgreSQL, triggers on SQLite).
            models.UniqueConstraint(fields=["id", "question"], name="assessments_answer_id_question"),
            models.CheckConstraint(condition=~models.Q(text=""), name="assessments_answer_text_not_blank"),
        ]

    def __str__(self):
        return self.text[:80]


class UserAnswer(models.Model):
    """A candidate's choice for one question: one per user and question, and the answer is one of
    the question's own answers, which the database refuses to break (see migration 0002)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="user_answers")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="user_answers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="assessments_one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.question_id} -> {self.answer_id}"


class QuestionDataVersion(models.Model):
    """One row: a counter the database bumps on every write to assessments_question (triggers of
    migration 0003, as profiles.CandidateDataVersion). `GET /question/all` sends it in its ETag."""

    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="assessments_questiondataversion_one_row")
        ]

    def __str__(self):
        return f"question data version {self.version}"
