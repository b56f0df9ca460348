import json

import pytest

from accounts.tests.factories import CandidateFactory
from assessments.models import UserAnswer
from assessments.tests.factories import AnswerFactory, QuestionFactory, UserAnswerFactory
from helpers.testing import client_for

pytestmark = pytest.mark.django_db


def submit(client, question, answer):
    """POST /question/submit as the SPA sends it: the answer id as a string, no `user`."""
    return client.post("/question/submit", {"question": question.id, "answer": str(answer.id)}, format="json")


def make_test(n_questions=3, options=3):
    """`n_questions` active questions, each with `options` answers of which the first is correct."""
    questions = []
    for _ in range(n_questions):
        question = QuestionFactory()
        answers = [AnswerFactory(question=question, is_correct=i == 0) for i in range(options)]
        questions.append((question, answers))
    return questions


def test_candidate_takes_the_whole_test_the_way_the_spa_does(candidate_client, candidate):
    test = make_test(3)
    first = candidate_client.get("/question/first")
    assert first.status_code == 200
    options = candidate_client.get("/question/answers").json()
    assert candidate_client.get("/question/submit").json() == []

    current = first.json()[0]
    seen = []
    while True:
        seen.append(current["id"])
        mine = [o for o in options if o["question"] == current["id"]]
        pick = mine[0] if len(seen) != 2 else mine[1]  # the second answer is wrong
        nxt = candidate_client.get(f"/question/next/{current['id']}")
        submitted = candidate_client.post(
            "/question/submit", {"question": current["id"], "answer": str(pick["id"])}, format="json"
        )
        assert submitted.status_code == 201, submitted.content
        assert nxt.status_code == 200
        if nxt.json() == []:
            break
        current = nxt.json()[0]

    assert seen == [q.id for q, _ in test]
    mine = candidate_client.get("/question/submit").json()
    assert [(row["question"], type(row["answer"])) for row in mine] == [(q.id, int) for q, _ in test]
    assert candidate_client.get("/question/result").json() == {
        "user": candidate.id,
        "answered": 3,
        "correct": 2,
        "total": 3,
        "score": 67,
        "finished": True,
    }


def test_question_lists_show_id_and_text_in_position_order(candidate_client):
    later = QuestionFactory(position=20, text="Later?")
    earlier = QuestionFactory(position=10, text="Earlier?")
    QuestionFactory(position=5, is_active=False)
    body = candidate_client.get("/question/all").json()
    assert body == [
        {"id": earlier.id, "question": "Earlier?", "position": 10},
        {"id": later.id, "question": "Later?", "position": 20},
    ]
    assert candidate_client.get("/question/first").json() == [body[0]]
    assert candidate_client.get(f"/question/next/{earlier.id}").json() == [body[1]]
    assert candidate_client.get(f"/question/next/{later.id}").json() == []


def test_first_question_of_an_empty_test_is_an_empty_array(candidate_client):
    QuestionFactory(is_active=False)
    response = candidate_client.get("/question/first")
    assert (response.status_code, response.json()) == (200, [])


def test_next_after_a_deactivated_question_moves_on_from_its_place(candidate_client):
    gone = QuestionFactory(position=2, is_active=False)
    after = QuestionFactory(position=3)
    assert [q["id"] for q in candidate_client.get(f"/question/next/{gone.id}").json()] == [after.id]


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999"])
def test_next_after_an_unknown_question_is_404(candidate_client, pk):
    response = candidate_client.get(f"/question/next/{pk}")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_answer_options_are_those_of_active_questions_with_integer_question_ids(candidate_client):
    question = QuestionFactory()
    option = AnswerFactory(question=question, text="Forty-two", is_correct=True)
    AnswerFactory(question=QuestionFactory(is_active=False))
    assert candidate_client.get("/question/answers").json() == [
        {"id": option.id, "question": question.id, "answer": "Forty-two"}
    ]


def test_is_correct_never_reaches_a_candidate(candidate_client, candidate):
    (question, answers), *_ = make_test(2)
    submit(candidate_client, question, answers[0])
    bodies = [
        candidate_client.get(url).content.decode()
        for url in (
            "/question/all",
            "/question/first",
            f"/question/next/{question.id}",
            "/question/answers",
            "/question/submit",
            "/question/result",
            f"/question/result/{candidate.id}",
        )
    ]
    bodies.append(submit(candidate_client, question, answers[1]).content.decode())
    for body in bodies:
        json.loads(body)
        assert "is_correct" not in body


def test_submit_stores_the_callers_answer_and_ignores_user_in_the_body(candidate_client, candidate):
    (question, answers), *_ = make_test(1)
    other = CandidateFactory()
    response = candidate_client.post(
        "/question/submit",
        {"user": other.id, "question": question.id, "answer": str(answers[1].id)},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("user", "question", "answer")} == {
        "user": candidate.id,
        "question": question.id,
        "answer": answers[1].id,
    }
    assert UserAnswer.objects.get(pk=body["id"]).user == candidate
    assert not UserAnswer.objects.filter(user=other).exists()


def test_submit_accepts_the_spa_content_type_with_charset(candidate_client):
    (question, answers), *_ = make_test(1)
    response = candidate_client.post(
        "/question/submit",
        json.dumps({"question": question.id, "answer": str(answers[0].id)}),
        content_type="application/json;charset=utf-8",
    )
    assert response.status_code == 201


def test_submitting_an_answer_of_another_question_is_400(candidate_client):
    (question, _), (_, foreign_answers) = make_test(2)
    response = candidate_client.post(
        "/question/submit", {"question": question.id, "answer": foreign_answers[0].id}, format="json"
    )
    assert response.status_code == 400
    assert "answer" in response.json()
    assert not UserAnswer.objects.exists()


def test_a_second_answer_to_the_same_question_is_400_and_keeps_the_first(candidate_client, candidate):
    (question, answers), *_ = make_test(1)
    first = submit(candidate_client, question, answers[0])
    second = submit(candidate_client, question, answers[1])
    assert first.status_code == 201
    assert second.status_code == 400
    assert "question" in second.json()
    assert list(UserAnswer.objects.values_list("answer", flat=True)) == [answers[0].id]


def test_a_racing_second_submit_hits_the_unique_constraint_and_gets_400(
    candidate_client, candidate, monkeypatch
):
    """Both requests passed validation before either stored its row: the database decides."""
    from assessments.serializers import UserAnswerSerializer

    (question, answers), *_ = make_test(1)
    UserAnswerFactory(user=candidate, question=question, answer=answers[0])
    monkeypatch.setattr(UserAnswerSerializer, "validate", lambda self, attrs: attrs)
    response = submit(candidate_client, question, answers[1])
    assert response.status_code == 400
    assert response.json() == {"question": ["You have already answered this question."]}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"question": 999999, "answer": 1}, "question"),
        ({"answer": 1}, "question"),
        ({"question": None, "answer": 1}, "question"),
        ({"question": "x" * 1_000_000, "answer": 1}, "question"),
        ({"question": "inactive", "answer": "inactive-answer"}, "question"),
        ({"question": "active", "answer": 999999}, "answer"),
        ({"question": "active", "answer": "abc"}, "answer"),
        ({"question": "active", "answer": "99999999999999999999999"}, "answer"),
        ({"question": "active", "answer": True}, "answer"),
        ({"question": "active"}, "answer"),
    ],
)
def test_bad_submissions_are_400_with_field_errors(candidate_client, body, field):
    (active, active_answers), *_ = make_test(1)
    inactive = QuestionFactory(is_active=False)
    inactive_answer = AnswerFactory(question=inactive, is_correct=True)
    substitutes = {
        "active": active.id,
        "inactive": inactive.id,
        "inactive-answer": inactive_answer.id,
    }
    body = {
        key: substitutes.get(value, value) if isinstance(value, str) else value for key, value in body.items()
    }
    response = candidate_client.post("/question/submit", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not UserAnswer.objects.exists()


def test_get_submit_lists_only_the_callers_answers(candidate_client, candidate):
    (question, answers), *_ = make_test(1)
    mine = UserAnswerFactory(user=candidate, question=question, answer=answers[0])
    UserAnswerFactory(question=question, answer=answers[1])
    body = candidate_client.get("/question/submit").json()
    assert [(row["id"], row["user"], row["question"], row["answer"]) for row in body] == [
        (mine.id, candidate.id, question.id, answers[0].id)
    ]


def test_list_endpoints_paginate_only_when_asked(candidate_client):
    make_test(3)
    page = candidate_client.get("/question/all?limit=2").json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert isinstance(candidate_client.get("/question/all").json(), list)


# --- Results --------------------------------------------------------------------------------


def answer_questions(user, test, correct_flags):
    for (question, answers), correct in zip(test, correct_flags, strict=False):
        UserAnswerFactory(user=user, question=question, answer=answers[0] if correct else answers[1])


@pytest.mark.parametrize(
    "n_questions, flags, expected",
    [
        (0, [], {"answered": 0, "correct": 0, "total": 0, "score": 0, "finished": False}),
        (3, [], {"answered": 0, "correct": 0, "total": 3, "score": 0, "finished": False}),
        (3, [True], {"answered": 1, "correct": 1, "total": 3, "score": 33, "finished": False}),
        (3, [True, True, False], {"answered": 3, "correct": 2, "total": 3, "score": 67, "finished": True}),
        (8, [True] * 8, {"answered": 8, "correct": 8, "total": 8, "score": 100, "finished": True}),
        (8, [True] + [False] * 7, {"answered": 8, "correct": 1, "total": 8, "score": 13, "finished": True}),
        (2, [False, False], {"answered": 2, "correct": 0, "total": 2, "score": 0, "finished": True}),
    ],
)
def test_result_arithmetic(candidate_client, candidate, n_questions, flags, expected):
    answer_questions(candidate, make_test(n_questions), flags)
    assert candidate_client.get("/question/result").json() == {"user": candidate.id, **expected}


def test_result_ignores_answers_to_deactivated_questions(candidate_client, candidate):
    test = make_test(3)
    answer_questions(candidate, test, [True, True, True])
    test[0][0].is_active = False
    test[0][0].save(update_fields=["is_active"])
    body = candidate_client.get("/question/result").json()
    assert (body["answered"], body["correct"], body["total"], body["finished"]) == (2, 2, 2, True)


def test_another_candidates_answers_do_not_count(candidate_client, candidate):
    test = make_test(2)
    answer_questions(CandidateFactory(), test, [True, True])
    assert candidate_client.get("/question/result").json()["answered"] == 0


def test_company_reads_a_candidates_result(company_client):
    someone = CandidateFactory()
    answer_questions(someone, make_test(2), [True, False])
    body = company_client.get(f"/question/result/{someone.id}").json()
    assert body == {
        "user": someone.id,
        "answered": 2,
        "correct": 1,
        "total": 2,
        "score": 50,
        "finished": True,
    }


@pytest.mark.parametrize("target", ["unknown", "company", "huge"])
def test_result_of_a_non_candidate_is_404(staff_client, company, target):
    user_id = {"unknown": 999999, "company": company.id, "huge": 99999999999999999999}[target]
    assert staff_client.get(f"/question/result/{user_id}").status_code == 404


# --- Permissions ----------------------------------------------------------------------------


def _url(template, ids):
    return template.format(**ids)


@pytest.mark.parametrize(
    "method, url, who, expected",
    [
        *[
            (m, u, who, 200)
            for m, u in [
                ("get", "/question/all"),
                ("get", "/question/first"),
                ("get", "/question/next/{question}"),
                ("get", "/question/answers"),
                ("get", "/question/submit"),
                ("get", "/question/result"),
            ]
            for who in ("candidate", "company", "staff")
        ],
        *[
            (m, u, "anonymous", 401)
            for m, u in [
                ("get", "/question/all"),
                ("get", "/question/first"),
                ("get", "/question/next/{question}"),
                ("get", "/question/answers"),
                ("get", "/question/submit"),
                ("post", "/question/submit"),
                ("get", "/question/result"),
                ("get", "/question/result/{candidate}"),
            ]
        ],
        ("get", "/question/all", "jwt-null", 401),
        ("post", "/question/submit", "candidate", 201),
        ("post", "/question/submit", "company", 403),
        ("get", "/question/result/{candidate}", "candidate", 200),
        ("get", "/question/result/{other_candidate}", "candidate", 403),
        ("get", "/question/result/{candidate}", "company", 200),
        ("get", "/question/result/{candidate}", "staff", 200),
        ("put", "/question/submit", "candidate", 405),
        ("delete", "/question/submit", "candidate", 405),
        ("post", "/question/all", "candidate", 405),
    ],
)
def test_permission_table(method, url, who, expected, candidate, company, staff, api_client):
    (question, answers), *_ = make_test(1)
    ids = {"question": question.id, "candidate": candidate.id, "other_candidate": CandidateFactory().id}
    if who == "anonymous":
        client = api_client
    elif who == "jwt-null":
        client = api_client
        client.credentials(HTTP_AUTHORIZATION="JWT null")
    else:
        client = client_for({"candidate": candidate, "company": company, "staff": staff}[who])
    body = {"question": question.id, "answer": str(answers[0].id)} if method == "post" else None
    response = getattr(client, method)(_url(url, ids), body, format="json")
    assert response.status_code == expected, response.content
    assert response["Content-Type"].startswith("application/json")


def test_company_opening_the_test_sees_the_lists_but_cannot_answer(company_client):
    (question, answers), *_ = make_test(1)
    assert len(company_client.get("/question/all").json()) == 1
    assert len(company_client.get("/question/answers").json()) == 3
    assert company_client.get("/question/submit").json() == []
    assert submit(company_client, question, answers[0]).status_code == 403
    assert not UserAnswer.objects.exists()


def test_paths_answer_with_a_trailing_slash_too_without_redirecting(candidate_client):
    make_test(1)
    assert candidate_client.get("/question/all/").status_code == 200


# --- Query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("url", ["/question/all", "/question/answers", "/question/submit"])
def test_list_endpoints_use_a_fixed_number_of_queries(
    candidate, candidate_client, django_assert_num_queries, rows, url
):
    for question, answers in make_test(rows, options=2):
        UserAnswerFactory(user=candidate, question=question, answer=answers[0])
    version = 1 if url == "/question/all" else 0  # its ETag's question data version (issue 23)
    with django_assert_num_queries(2 + version):  # the token's user, then the list
        response = candidate_client.get(url)
    assert len(response.json()) == rows * (2 if url == "/question/answers" else 1)


@pytest.mark.parametrize("url", ["/question/first", "/question/next/{question}", "/question/result"])
def test_single_question_and_result_endpoints_use_few_queries(
    candidate, candidate_client, django_assert_max_num_queries, url
):
    test = make_test(5)
    answer_questions(candidate, test, [True, False])
    with django_assert_max_num_queries(3):
        assert candidate_client.get(url.format(question=test[0][0].id)).status_code == 200


def test_a_deactivated_candidates_result_is_hidden_from_companies_like_every_recruiter_read(company_client):
    someone = CandidateFactory()
    answer_questions(someone, make_test(2), [True, True])
    someone.is_active = False
    someone.save(update_fields=["is_active"])

    response = company_client.get(f"/question/result/{someone.id}")

    assert response.status_code == 404
