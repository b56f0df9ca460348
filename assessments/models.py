from django.conf import settings
from django.db import models


class Question(models.Model):
    """A multiple-choice question; the test is the active questions in `position` order."""

    text = models.TextField(max_length=5000)
    position = models.PositiveIntegerField(unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.text[:80]


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField(max_length=1000)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question_id", "id"]

    def __str__(self):
        return self.text[:80]


class UserAnswer(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="user_answers")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="user_answers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="assessments_one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.question_id} -> {self.answer_id}"
