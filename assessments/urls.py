from assessments import views
from helpers.urls import route

urlpatterns = [
    route("all", views.QuestionListView.as_view(), name="question-all"),
    route("first", views.FirstQuestionView.as_view(), name="question-first"),
    route("next/<int:pk>", views.NextQuestionView.as_view(), name="question-next"),
    route("answers", views.AnswerOptionListView.as_view(), name="question-answers"),
    route("submit", views.SubmitAnswerView.as_view(), name="question-submit"),
    route("result", views.OwnResultView.as_view(), name="question-result"),
    route("result/<int:user_id>", views.CandidateResultView.as_view(), name="question-result-user"),
]
