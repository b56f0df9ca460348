"""Shapes of api-contract 2.5: questions as {id, question}, options as {id, question, answer}.

`Answer.is_correct` appears in no serializer here: candidates must never see it.
"""

from rest_framework import serializers

from assessments import services
from assessments.models import Answer, Question, UserAnswer


class QuestionSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = Question
        fields = ["id", "question", "position"]
        read_only_fields = fields


class AnswerOptionSerializer(serializers.ModelSerializer):
    """One option; `question` is the integer id the SPA filters on."""

    answer = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = Answer
        fields = ["id", "question", "answer"]
        read_only_fields = fields


class UserAnswerSerializer(serializers.ModelSerializer):
    """A submitted answer. `user` comes from the token; `answer` may arrive as a numeric string."""

    user = serializers.PrimaryKeyRelatedField(read_only=True)
    question = serializers.PrimaryKeyRelatedField(
        queryset=Question.objects.filter(is_active=True),
        error_messages={"does_not_exist": "Question {pk_value} is not part of the test."},
    )
    answer = serializers.PrimaryKeyRelatedField(
        queryset=Answer.objects.all(),
        error_messages={"does_not_exist": "Answer {pk_value} does not exist."},
    )

    class Meta:
        model = UserAnswer
        fields = ["id", "user", "question", "answer", "created_at"]
        read_only_fields = ["id", "user", "created_at"]
        # The one-per-question rule is checked in validate() with a clearer message.
        validators = []

    def validate(self, attrs):
        question, answer = attrs["question"], attrs["answer"]
        if answer.question_id != question.pk:
            raise serializers.ValidationError(
                {"answer": ["This answer is not one of the question's answers."]}
            )
        user = self.context["request"].user
        if UserAnswer.objects.filter(user=user, question=question).exists():
            raise serializers.ValidationError({"question": [services.ALREADY_ANSWERED]})
        return attrs

    def create(self, validated_data):
        return services.user_answer_submit(user=self.context["request"].user, **validated_data)


class AssessmentResultSerializer(serializers.Serializer):
    """A candidate's result; `score` is a percentage of all active questions (integer, 0-100)."""

    user = serializers.IntegerField()
    answered = serializers.IntegerField()
    correct = serializers.IntegerField()
    total = serializers.IntegerField()
    score = serializers.IntegerField(min_value=0, max_value=100)
    finished = serializers.BooleanField()


class AssessmentSummarySerializer(serializers.Serializer):
    """assessments.selectors.AssessmentSummary; null when the candidate has not taken the test."""

    correct = serializers.IntegerField()
    answered = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Active questions.")
    percent = serializers.IntegerField(help_text="correct / total in percent, rounded half up.")
