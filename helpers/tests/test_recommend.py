"""The matcher without a database: hand-computed scores, truncation edges, and the original's ranking."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.recommend import (
    MAX_CODED_SKILLS,
    JobMatcher,
    JobRequirements,
    rank_candidates,
    rank_jobs,
    score_candidate,
)

FULL_TIME = "Full Time"
AVAILABILITIES = ["Not Available", "Part Time", "Full Time", "Pre FullTime"]


def original_ranking(job_skills, hiring_needs, candidates):
    """The original engine's loop over plain data: candidates are (id, {name: rating}, availability)."""
    if not job_skills:
        return []
    weight = 100 / len(job_skills)
    result = []
    for candidate_id, skills, availability in candidates:
        rate = 0
        for name, job_rating in job_skills:
            if name in skills:
                rate += weight * (1 - abs(skills[name] - job_rating) / 10)
        if availability and availability != hiring_needs:
            rate *= 0.8
        rate = int(rate)
        if rate > 0:
            result.append((candidate_id, rate))
    return sorted(result, key=lambda item: (-item[1], item[0]))


def ranking(job_skills, hiring_needs, candidates):
    rows = [
        (cid, name, rating, availability)
        for cid, skills, availability in sorted(candidates)
        for name, rating in skills.items()
    ]
    return [(r.candidate_id, r.rate) for r in rank_candidates(job_skills, hiring_needs, rows)]


@pytest.mark.parametrize(
    ("job_skills", "candidate_skills", "availability", "rate"),
    [
        ([("Python", 8)], {"Python": 8}, FULL_TIME, 100),
        ([("Python", 8)], {"Python": 5}, FULL_TIME, 70),
        ([("Python", 8)], {"Python": 5}, None, 70),
        ([("Python", 8)], {"Python": 5}, "Part Time", 56),
        ([("Python", 8), ("React", 6)], {"Python": 8}, FULL_TIME, 50),
        ([("Python", 8), ("React", 6)], {"Python": 8, "React": 1}, FULL_TIME, 75),
        ([("Python", 8), ("React", 6)], {"Go": 8}, FULL_TIME, 0),
        # 1 - 9/10 is 0.09999999999999998 in floating point: 9.999999999999998 truncates to 9.
        ([("Python", 1)], {"Python": 10}, FULL_TIME, 9),
        ([("Python", 1)], {"Python": 10}, "Pre FullTime", 7),
        ([("A", 5), ("B", 5), ("C", 5), ("D", 5)], {"A": 5, "C": 3}, FULL_TIME, 45),
    ],
)
def test_score_matches_hand_computation(job_skills, candidate_skills, availability, rate):
    assert score_candidate(job_skills, FULL_TIME, candidate_skills, availability).rate == rate


def test_explanation_lists_points_per_skill_availability_factor_and_missing_skills():
    match = score_candidate(
        [("Python", 8), ("React", 6), ("Go", 3)], FULL_TIME, {"Python": 5, "Go": 3}, "Part Time"
    )

    assert match.rate == 45  # (100/3 * 0.7 + 100/3) * 0.8 = 45.33
    assert match.explanation == {
        "skills": [
            {"name": "Python", "job_rating": 8, "candidate_rating": 5, "points": 23.33, "points_lost": 10.0},
            {"name": "React", "job_rating": 6, "candidate_rating": None, "points": 0.0, "points_lost": 33.33},
            {"name": "Go", "job_rating": 3, "candidate_rating": 3, "points": 33.33, "points_lost": 0.0},
        ],
        "availability_factor": 0.8,
        "missing_skills": ["React"],
    }


@pytest.mark.parametrize(
    ("job_ratings", "candidate_ratings", "rate"),
    [
        # Weight 33.333333333333336: three perfect matches sum to 100.00000000000001.
        ((5, 5, 5), (5, 5, 5), 100),
        # Differences 3, 4, 8 in this order sum to 49.99999999999999: 49, as the original's int().
        ((10, 10, 10), (7, 6, 2), 49),
        # The same differences in the order 3, 8, 4 sum to exactly 50.0: skill order matters.
        ((10, 10, 10), (7, 2, 6), 50),
        # Differences 0, 1, 2 sum to 90.00000000000001: 90.
        ((10, 10, 10), (10, 9, 8), 90),
    ],
)
def test_three_skills_truncate_exactly_as_the_original_float_operations(job_ratings, candidate_ratings, rate):
    names = ["A", "B", "C"]
    job_skills = list(zip(names, job_ratings, strict=True))
    candidate = dict(zip(names, candidate_ratings, strict=True))

    assert score_candidate(job_skills, FULL_TIME, candidate, None).rate == rate
    assert original_ranking(job_skills, FULL_TIME, [(1, candidate, None)]) == [(1, rate)]


def test_twelve_perfect_matches_sum_below_one_hundred_and_truncate_to_99():
    job_skills = [(f"S{i}", 7) for i in range(12)]

    assert score_candidate(job_skills, FULL_TIME, dict(job_skills), None).rate == 99


def test_availability_factor_applies_to_the_float_sum_before_truncation():
    # 6 skills: differences 0,3,4,5,0,0 sum to 80.00000000000001; times 0.8 is 64.00000000000001.
    job_skills = [(f"S{i}", 10) for i in range(6)]
    candidate = {f"S{i}": 10 - d for i, d in enumerate((0, 3, 4, 5, 0, 0))}

    assert score_candidate(job_skills, FULL_TIME, candidate, FULL_TIME).rate == 80
    assert score_candidate(job_skills, FULL_TIME, candidate, "Part Time").rate == 64


def test_names_are_compared_as_stored_since_every_write_stores_the_canonical_spelling():
    """Spellings are unified at the write (helpers.fields.SkillNameField): see the recommendation API
    tests, where a candidate's `NodeJS` and a job's `nodejs` both meet `Node.js`."""
    match = score_candidate([("Node.js", 7)], FULL_TIME, {"Node.js": 7, "NodeJS": 7}, None)

    assert match.rate == 100
    assert [skill["candidate_rating"] for skill in match.explanation["skills"]] == [7]
    assert score_candidate([("Node.js", 7)], FULL_TIME, {"nodejs": 7}, None).rate == 0


@pytest.mark.parametrize(
    "rows",
    [
        [(1, "Node.js", 9, None), (1, "Node.js", 4, None)],
        [(1, "Node.js", 4, None), (1, "Node.js", 9, None)],
    ],
    ids=["higher-first", "higher-last"],
)
def test_ranking_counts_the_higher_of_two_rows_of_one_skill_whatever_the_row_order(rows):
    ranked = rank_candidates([("Node.js", 10)], FULL_TIME, rows)

    assert [(r.candidate_id, r.rate) for r in ranked] == [(1, 90)]
    assert ranked[0].explanation["skills"][0]["candidate_rating"] == 9


def test_job_without_skills_ranks_nobody():
    assert rank_candidates([], FULL_TIME, [(1, "Python", 5, None)]) == []
    assert score_candidate([], FULL_TIME, {"Python": 5}, None).rate == 0


def test_ranking_lists_only_positive_scores_best_first_ties_by_id():
    job_skills = [("Python", 5), ("Go", 5)]
    rows = [(3, "Python", 5, None), (4, "Go", 5, None), (4, "Python", 5, None), (7, "Rust", 5, None)]
    rows += [(9, "Python", 5, None), (12, "Python", 5, "Part Time"), (12, "Go", 5, "Part Time")]

    ranked = rank_candidates(job_skills, FULL_TIME, rows)

    assert [(r.candidate_id, r.rate) for r in ranked] == [(4, 100), (12, 80), (3, 50), (9, 50)]


def test_ranking_refuses_rows_not_ordered_by_candidate_id():
    rows = [(9, "Python", 5, None), (3, "Python", 5, None)]

    with pytest.raises(ValueError, match="ordered by candidate id"):
        rank_candidates([("Python", 5)], FULL_TIME, rows)


def test_ranking_ignores_extra_columns_after_availability():
    ranked = rank_candidates([("Python", 5)], FULL_TIME, [(1, "Python", 5, None, "Ann", "ann@example.com")])

    assert [(r.candidate_id, r.rate) for r in ranked] == [(1, 100)]


def test_ranking_ignores_rows_of_skills_the_job_does_not_require():
    ranked = rank_candidates([("Python", 5)], FULL_TIME, [(1, "Rust", 5, None), (1, "Python", 5, None)])

    assert [(r.candidate_id, r.rate) for r in ranked] == [(1, 100)]


def test_matcher_shares_one_explanation_between_candidates_with_the_same_ratings():
    matcher = JobMatcher([("Python", 5)], FULL_TIME)

    first, second = matcher.rank([(1, "Python", 4, None), (2, "Python", 4, None)])

    assert first.explanation is second.explanation


def test_jobs_ranked_for_a_candidate_best_first_ties_newest_first_zero_scores_left_out():
    jobs = [
        JobRequirements(1, FULL_TIME, [("Python", 5)]),
        JobRequirements(2, FULL_TIME, [("Python", 5), ("Go", 5)]),
        JobRequirements(3, FULL_TIME, [("Python", 5)]),
        JobRequirements(4, FULL_TIME, [("Rust", 5)]),
        JobRequirements(5, FULL_TIME, []),
    ]

    ranked = rank_jobs({"Python": 5}, None, jobs)

    assert [(r.job_id, r.rate) for r in ranked] == [(3, 100), (1, 100), (2, 50)]


VOCABULARY = ["Python", "React", "Node.js", "Go", "Java", "Rust", "SQL"]
ratings = st.integers(min_value=1, max_value=10)
job_skill_lists = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), ratings), max_size=6, unique_by=lambda s: s[0]
)
candidate_lists = st.lists(
    st.tuples(
        st.dictionaries(st.sampled_from(VOCABULARY), ratings, max_size=len(VOCABULARY)),
        st.none() | st.sampled_from(AVAILABILITIES),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(job_skills=job_skill_lists, hiring_needs=st.sampled_from(AVAILABILITIES[:3]), drafts=candidate_lists)
def test_ranking_equals_the_original_algorithm_on_random_data(job_skills, hiring_needs, drafts):
    candidates = [(index + 1, skills, availability) for index, (skills, availability) in enumerate(drafts)]

    assert ranking(job_skills, hiring_needs, candidates) == original_ranking(
        job_skills, hiring_needs, candidates
    )


def coded(matcher, candidates):
    """One row per candidate holding a required skill, as jobs.aligned reads them: (id, code, name)."""
    rows = []
    for cid, skills, availability in sorted(candidates):
        ratings = [skills.get(name) for name, _ in matcher.skills]
        if any(rating is not None for rating in ratings):
            mismatch = availability is not None and availability != matcher.hiring_needs
            rows.append((cid, matcher.code(ratings, mismatch), f"Dev {cid}"))
    return rows


@settings(max_examples=300, deadline=None)
@given(
    job_skills=st.lists(st.tuples(st.sampled_from(VOCABULARY), ratings), max_size=6),  # names may repeat
    hiring_needs=st.sampled_from(AVAILABILITIES[:3]),
    drafts=candidate_lists,
)
def test_ranking_coded_rows_equals_ranking_skill_rows(job_skills, hiring_needs, drafts):
    candidates = [(index + 1, skills, availability) for index, (skills, availability) in enumerate(drafts)]
    skill_rows = [
        (cid, name, rating, availability)
        for cid, skills, availability in sorted(candidates)
        for name, rating in skills.items()
    ]
    matcher = JobMatcher(job_skills, hiring_needs)

    by_rows = rank_candidates(job_skills, hiring_needs, skill_rows)
    by_code = matcher.rank_coded(coded(matcher, candidates))

    assert list(by_code) == by_rows  # ids, rates and explanations, in the same order


@settings(max_examples=200, deadline=None)
@given(
    ratings=st.lists(st.none() | ratings, min_size=MAX_CODED_SKILLS, max_size=MAX_CODED_SKILLS),
    mismatch=st.booleans(),
)
def test_a_code_holds_every_rating_and_the_mismatch_within_64_bits(ratings, mismatch):
    matcher = JobMatcher([(f"Skill {slot}", 5) for slot in range(MAX_CODED_SKILLS)], FULL_TIME)

    code = matcher.code(ratings, mismatch)

    assert 0 <= code < 2**63
    assert matcher._decode(code) == (tuple(ratings), mismatch)


def test_ranking_coded_rows_refuses_rows_not_ordered_by_candidate_id():
    matcher = JobMatcher([("Python", 5)], FULL_TIME)
    rows = [(9, matcher.code([5], False)), (3, matcher.code([5], False))]

    with pytest.raises(ValueError, match="ordered by candidate id"):
        matcher.rank_coded(rows)


def test_ranking_coded_rows_refuses_a_job_whose_code_would_not_fit():
    matcher = JobMatcher([(f"Skill {slot}", 5) for slot in range(MAX_CODED_SKILLS + 1)], FULL_TIME)

    with pytest.raises(ValueError, match="at most 17 skills"):
        matcher.rank_coded([(1, 5)])


@settings(max_examples=200, deadline=None)
@given(
    job_skills=job_skill_lists.filter(bool),
    candidate=st.dictionaries(st.sampled_from(VOCABULARY), ratings),
    availability=st.none() | st.sampled_from(AVAILABILITIES),
)
def test_explanation_accounts_for_every_point(job_skills, candidate, availability):
    rate, explanation = score_candidate(job_skills, FULL_TIME, candidate, availability)
    entries = explanation["skills"]

    assert [e["name"] for e in entries] == [name for name, _ in job_skills]
    assert explanation["missing_skills"] == [e["name"] for e in entries if e["candidate_rating"] is None]
    earned = sum(e["points"] for e in entries) * explanation["availability_factor"]
    assert abs(earned - rate) < 1 + 0.01 * len(entries)
    for entry in entries:
        assert entry["points"] + entry["points_lost"] == pytest.approx(100 / len(job_skills), abs=0.011)


def test_matcher_module_imports_no_django_app():
    code = (
        "import sys, helpers.recommend; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ.get("PATH", "")},
        cwd=Path(__file__).resolve().parents[2],
    )

    assert result.stdout.strip() == "[]"
