"""The original recommendation algorithm, kept faithfully for benchmarks and nothing else.

One query for the job's skills, one for the candidates, then one query per candidate per skill and
one per candidate for the availability: 2 + U x (S + 1) queries. Exact name matching, as the
original. Restricted to active developers so that its answers are comparable with the engine's.
"""

from accounts.models import UserAccount
from jobs.models import JobSkill
from profiles.models import Availability, UserSkill


def naive_ranking(job) -> list[tuple[int, int]]:
    """(candidate id, rate) pairs with rate > 0, best first, ties by candidate id."""
    skills = list(JobSkill.objects.filter(job=job).order_by("id"))
    if not skills:
        return []
    weight = 100 / len(skills)
    result = []
    for user in UserAccount.objects.filter(type=UserAccount.Type.USER, is_active=True):
        rate = 0
        for job_skill in skills:
            user_skill = UserSkill.objects.filter(user=user, name=job_skill.name).first()
            if user_skill:
                rate += weight * (1 - abs(user_skill.rating - job_skill.rating) / 10)
        availability = Availability.objects.filter(user=user).first()
        if availability and availability.availability_type != job.hiring_needs:
            rate *= 0.8
        rate = int(rate)
        if rate > 0:
            result.append({"id": user.id, "name": user.name, "email": user.email, "rate": rate})
    result.sort(key=lambda item: (-item["rate"], item["id"]))
    return [(item["id"], item["rate"]) for item in result]
