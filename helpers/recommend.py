"""The matcher: the one definition of a candidate's score for a job. Pure: plain data in, plain data out.

The formula is the original engine's, kept so that existing rankings do not change::

    S = number of skills the job requires, taken in JobSkill id order
    weight = 100 / S
    rate = 0
    for each required skill (name, job_rating):
        if the candidate has a skill with the same (stored, canonical) name, rated r:
            rate += weight * (1 - abs(r - job_rating) / 10)
    if the candidate has an availability and its type differs from the job's hiring needs:
        rate *= 0.8
    score = int(rate)            # truncation, as the original's int(); never rounding

The floating-point operations are exactly the original's, in the same order, so truncation gives the
same integers: with 3 skills each weighs 33.333333333333336, and three perfect matches sum to
100.00000000000001 (score 100) while sums that land a hair below a whole number stay below it.

Only candidates with a score above 0 are ranked: highest score first, ties by candidate id. A job
without skills ranks nobody. Names are compared exactly, as stored: every write stores the
canonical spelling (helpers.fields.SkillNameField on both skill models), so a candidate's `NodeJS`
is already `Node.js` when it reaches this module, and readers trust stored names. If a candidate's
rows name a skill twice, the higher rating counts.

Every score comes with an explanation, a JSON-ready dict::

    {"skills": [{"name", "job_rating", "candidate_rating" (None if missing),
                 "points" (earned, before the availability factor, 2 decimals),
                 "points_lost" (weight - points)}, ...],   # in the job's skill order
     "availability_factor": 1.0 or 0.8,
     "missing_skills": [names the candidate lacks]}

Explanations are memoised per distinct (ratings, availability factor) and shared between results:
treat them as read-only.
"""

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate
from operator import itemgetter
from typing import Any, NamedTuple

AVAILABILITY_MISMATCH_FACTOR = 0.8

CODE_BASE = 11
"""Ratings are 1-10 (a constraint) and 0 stands for a missing skill: one base-11 digit per skill."""
MAX_CODED_SKILLS = 17
"""2 * 11**17 < 2**63: the most skills whose code (`JobMatcher.code`) fits a signed 64-bit integer."""

RequiredSkill = tuple[str, int]
"""(name, rating) of one skill a job requires."""

Explanation = dict[str, Any]


class Match(NamedTuple):
    rate: int
    explanation: Explanation


class RankedCandidate(NamedTuple):
    candidate_id: int
    rate: int
    explanation: Explanation


class JobRequirements(NamedTuple):
    """What a job asks for: enough to score anyone against it."""

    job_id: int
    hiring_needs: str
    skills: Sequence[RequiredSkill]


class RankedJob(NamedTuple):
    job_id: int
    rate: int
    explanation: Explanation


class JobMatcher:
    """Scores many candidates against one job.

    The score depends only on the candidate's rating for each required skill and on whether their
    availability differs from the job's hiring needs, so each distinct combination is computed once
    and its explanation shared; that keeps ranking 100,000 candidates fast and small.
    """

    def __init__(self, job_skills: Sequence[RequiredSkill], hiring_needs: str):
        self.skills = list(job_skills)
        self.hiring_needs = hiring_needs
        self.weight = 100 / len(self.skills) if self.skills else 0.0
        self._slots_by_name: dict[str, tuple[int, ...]] = {}
        """Positions among the job's skills that a candidate skill of that name fills."""
        for slot, (name, _rating) in enumerate(self.skills):
            self._slots_by_name[name] = (*self._slots_by_name.get(name, ()), slot)
        self._matches: dict[tuple[tuple[int | None, ...], bool], Match] = {}
        self._entries: dict[tuple[int, int | None], dict[str, Any]] = {}

    def _align(self, candidate_skills: Mapping[str, int]) -> list[int | None]:
        """The candidate's rating for each required skill, in the job's order (None where missing)."""
        ratings: list[int | None] = [None] * len(self.skills)
        for name, rating in candidate_skills.items():
            for slot in self._slots_by_name.get(name, ()):
                current = ratings[slot]
                if current is None or rating > current:
                    ratings[slot] = rating
        return ratings

    def match(self, candidate_skills: Mapping[str, int], availability: str | None) -> Match:
        """Score and explanation of one candidate: skills as {name: rating}, availability type or None."""
        mismatch = availability is not None and availability != self.hiring_needs
        return self._match(tuple(self._align(candidate_skills)), mismatch)

    def _match(self, ratings: tuple[int | None, ...], mismatch: bool) -> Match:
        key = (ratings, mismatch)
        found = self._matches.get(key)
        if found is None:
            found = self._matches[key] = self._compute(ratings, mismatch)
        return found

    def _compute(self, ratings: tuple[int | None, ...], mismatch: bool) -> Match:
        weight = self.weight
        rate = 0
        for (_name, job_rating), rating in zip(self.skills, ratings, strict=True):
            if rating is not None:
                rate += weight * (1 - abs(rating - job_rating) / 10)
        if mismatch:
            rate *= AVAILABILITY_MISMATCH_FACTOR
        explanation = {
            "skills": [self._entry(slot, rating) for slot, rating in enumerate(ratings)],
            "availability_factor": AVAILABILITY_MISMATCH_FACTOR if mismatch else 1.0,
            "missing_skills": [
                name for (name, _), rating in zip(self.skills, ratings, strict=True) if rating is None
            ],
        }
        return Match(int(rate), explanation)

    def _entry(self, slot: int, rating: int | None) -> dict[str, Any]:
        entry = self._entries.get((slot, rating))
        if entry is None:
            name, job_rating = self.skills[slot]
            points = 0.0 if rating is None else self.weight * (1 - abs(rating - job_rating) / 10)
            entry = self._entries[(slot, rating)] = {
                "name": name,
                "job_rating": job_rating,
                "candidate_rating": rating,
                "points": round(points, 2),
                "points_lost": round(self.weight - points, 2),
            }
        return entry

    def rank(self, skill_rows: Iterable[Sequence]) -> list[RankedCandidate]:
        """Rank candidates from their skill rows, ordered by candidate id.

        Each row starts with (candidate id, skill name, rating, availability type or None); further
        columns are ignored. Rows of skills the job does not require are ignored too, so a caller
        may pass only the rows whose names the job requires; a candidate without rows has no score.
        Raises ValueError if the rows are not ordered by candidate id (ties would come out wrong).
        """
        size = len(self.skills)
        if not size:
            return []
        slots_by_name = self._slots_by_name
        matches = self._matches
        hiring_needs = self.hiring_needs
        ranked: list[RankedCandidate] = []
        current = None
        ratings: list[int | None] = []
        availability = None

        def close():
            key = (tuple(ratings), availability is not None and availability != hiring_needs)
            rate, explanation = matches.get(key) or self._match(*key)
            if rate > 0:
                ranked.append(RankedCandidate(current, rate, explanation))

        for row in skill_rows:
            slots = slots_by_name.get(row[1])
            if slots is None:
                continue
            if row[0] != current:
                if current is not None:
                    if row[0] < current:
                        raise ValueError("skill rows must be ordered by candidate id")
                    close()
                current, ratings, availability = row[0], [None] * size, row[3]
            rating = row[2]
            for slot in slots:
                held = ratings[slot]
                if held is None or rating > held:
                    ratings[slot] = rating
        if current is not None:
            close()
        ranked.sort(key=itemgetter(1), reverse=True)  # stable: ties stay in candidate id order
        return ranked

    def code(self, ratings: Sequence[int | None], mismatch: bool) -> int:
        """One integer for a candidate's ratings of the job's skills (in its order, None where
        missing) and availability mismatch: the digits of base 11, the slot's rating (0 when
        missing) at 11**slot and the mismatch at 11**S. What the database computes (jobs.aligned)."""
        code = sum((rating or 0) * CODE_BASE**slot for slot, rating in enumerate(ratings))
        return code + (CODE_BASE ** len(ratings) if mismatch else 0)

    def _decode(self, code: int) -> tuple[tuple[int | None, ...], bool]:
        ratings = []
        for _slot in self.skills:
            code, rating = divmod(code, CODE_BASE)
            ratings.append(rating or None)
        return tuple(ratings), bool(code)

    def rank_coded(self, rows: Iterable[Sequence]) -> "CodedRanking":
        """Rank candidates from one row each, (candidate id, `code(ratings, mismatch)`, ...), ordered
        by candidate id: what `rank` returns for them, as a `CodedRanking` of the rows themselves.

        At most MAX_CODED_SKILLS skills (the code must fit the database's 64-bit integers). Each
        distinct code is decoded and scored once; each row is appended to the list of its rate, so
        ties stay in id order without a sort, and no object is made per candidate. Raises
        ValueError if the ids do not increase.
        """
        size = len(self.skills)
        if not size:
            return CodedRanking({}, {})
        if size > MAX_CODED_SKILLS:
            raise ValueError(f"a code holds at most {MAX_CODED_SKILLS} skills")
        by_rate: dict[int, list[Sequence]] = {}
        matches: dict[int, Match] = {}
        filing: dict[int, Any] = {}  # code: the append of its rate's list
        previous = -1
        for row in rows:
            candidate_id = row[0]
            if candidate_id <= previous:
                raise ValueError("coded rows must be ordered by candidate id, one per candidate")
            previous = candidate_id
            file = filing.get(row[1])
            if file is None:
                match = matches[row[1]] = self._match(*self._decode(row[1]))
                file = filing[row[1]] = by_rate.setdefault(match.rate, []).append
            file(row)
        return CodedRanking(
            {rate: by_rate[rate] for rate in sorted(by_rate, reverse=True) if rate > 0}, matches
        )


class CodedRanking(Sequence):
    """A ranking filed by `JobMatcher.rank_coded`: the coded rows (candidate id, code, ...) of each
    rate, best rate first and each rate's rows in id order, with the Match of each code.

    It reads as a sequence of RankedCandidate, made as they are read, so a page, a filter or the
    admin takes it as the list `rank` returns; slices are CodedRankings too. A whole ranking
    streamed at a million candidates reads `by_rate` instead and encodes the rows as they are:
    427,000 RankedCandidates cost 0.2 s to make and as long again to walk (bench/topk.py).
    """

    def __init__(self, by_rate: Mapping[int, list[Sequence]], matches: Mapping[int, Match]):
        self.by_rate = {rate: rows for rate, rows in by_rate.items() if rows}
        """{rate: the rows of that rate in id order}, best rate first."""
        self.matches = matches
        """{code: Match}."""
        self._ends = list(accumulate(map(len, self.by_rate.values())))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[RankedCandidate]:
        matches = self.matches
        for rate, rows in self.by_rate.items():
            for row in rows:
                yield RankedCandidate(row[0], rate, matches[row[1]].explanation)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return list(self)[index]
            return CodedRanking(self._between(start, stop), self.matches)
        position = range(len(self))[index]  # IndexError out of range, as a list
        run = bisect_right(self._ends, position)
        rate, rows = list(self.by_rate.items())[run]
        row = rows[position - (self._ends[run - 1] if run else 0)]
        return RankedCandidate(row[0], rate, self.matches[row[1]].explanation)

    def _between(self, start: int, stop: int) -> dict[int, list[Sequence]]:
        """{rate: rows} of the positions start to stop (excluded)."""
        between, begin = {}, 0
        for rate, rows in self.by_rate.items():
            end = begin + len(rows)
            if end > start and begin < stop:
                between[rate] = rows[max(start - begin, 0) : min(stop, end) - begin]
            begin = end
        return between


def score_candidate(
    job_skills: Sequence[RequiredSkill],
    hiring_needs: str,
    candidate_skills: Mapping[str, int],
    availability: str | None,
) -> Match:
    """One candidate's score for one job (see the module docstring for the formula)."""
    return JobMatcher(job_skills, hiring_needs).match(candidate_skills, availability)


def rank_candidates(
    job_skills: Sequence[RequiredSkill], hiring_needs: str, skill_rows: Iterable[Sequence]
) -> list[RankedCandidate]:
    """Candidates with a score above 0, best first, ties by candidate id (see `JobMatcher.rank`)."""
    return JobMatcher(job_skills, hiring_needs).rank(skill_rows)


def rank_jobs(
    candidate_skills: Mapping[str, int], availability: str | None, jobs: Iterable[JobRequirements]
) -> list[RankedJob]:
    """Jobs in which the candidate scores above 0, best first, ties newest (highest id) first."""
    ranked = []
    for job in jobs:
        rate, explanation = JobMatcher(job.skills, job.hiring_needs).match(candidate_skills, availability)
        if rate > 0:
            ranked.append(RankedJob(job.job_id, rate, explanation))
    ranked.sort(key=lambda item: (-item.rate, -item.job_id))
    return ranked
