"""The sections under test, as the SPA sends them (api-contract 2.1, 2.2): one table every test reads."""

from dataclasses import dataclass, field

from accounts.tests.factories import CandidateFactory, CompanyFactory
from profiles import models
from profiles.tests import factories


@dataclass(frozen=True)
class Section:
    path: str
    model: type
    factory: type
    owner_factory: type
    other_factory: type
    create_body: dict
    # What the response carries for `create_body` (strings the SPA sends converted to their types).
    created: dict
    # A partial PUT: the other keys must keep their stored values.
    update_body: dict
    one_per_user: bool = True
    text_fields: list = field(default_factory=list)

    def __str__(self):
        return self.path


PROFILE = Section(
    path="profile",
    model=models.Profile,
    factory=factories.ProfileFactory,
    owner_factory=CandidateFactory,
    other_factory=CompanyFactory,
    create_body={
        "first_name": "Ada",
        "last_name": "Lovelace",
        "country": "United Kingdom",
        "phone": "+44 20 7946 0000",
        "bio": "",
        "github_link": "ada-l",
        "linkedin_link": "",
    },
    created={
        "first_name": "Ada",
        "last_name": "Lovelace",
        "city": "",
        "country": "United Kingdom",
        "phone": "+44 20 7946 0000",
        "bio": "",
        "github_link": "ada-l",
        "linkedin_link": "",
        "photo": None,
        "photo_thumbnail": None,
    },
    update_body={"bio": "Analytical engines."},
    text_fields=[
        "first_name",
        "last_name",
        "city",
        "country",
        "phone",
        "bio",
        "github_link",
        "linkedin_link",
    ],
)
EXPERIENCE = Section(
    path="experience",
    model=models.Experience,
    factory=factories.ExperienceFactory,
    owner_factory=CandidateFactory,
    other_factory=CompanyFactory,
    create_body={
        "years_of_experience": "4",
        "years_of_remote_experience": "2",
        "english_proficiency": "Average",
    },
    created={"years_of_experience": 4, "years_of_remote_experience": 2, "english_proficiency": "Average"},
    update_body={"english_proficiency": "Basic"},
)
AVAILABILITY = Section(
    path="availability",
    model=models.Availability,
    factory=factories.AvailabilityFactory,
    owner_factory=CandidateFactory,
    other_factory=CompanyFactory,
    create_body={"availability_type": "Part Time", "ready_to_start_in": "in 2 weeks"},
    created={"availability_type": "Part Time", "ready_to_start_in": "in 2 weeks"},
    update_body={"ready_to_start_in": "more than 1 month"},
)
ROLE = Section(
    path="role",
    model=models.RoleSalary,
    factory=factories.RoleSalaryFactory,
    owner_factory=CandidateFactory,
    other_factory=CompanyFactory,
    create_body={"preferred_role": "Fullstack (BE Heavy)", "current_salary": "2,400,000"},
    created={
        "preferred_role": "Fullstack (BE Heavy)",
        "current_salary": "2,400,000",
        # the job preferences (issue 23), which the SPA never sends: empty
        "preferred_workplace": "",
        "preferred_countries": [],
        "min_salary": None,
        "min_salary_currency": "",
    },
    update_body={"current_salary": "3,000,000"},
    text_fields=["current_salary"],
)
EDUCATION = Section(
    path="education",
    model=models.Education,
    factory=factories.EducationFactory,
    owner_factory=CandidateFactory,
    other_factory=CompanyFactory,
    create_body={
        "degree": "MSc Data Science",
        "college": "LUMS",
        "start_date": "2020-09-01",
        "end_date": "2022-06-30",
    },
    created={
        "degree": "MSc Data Science",
        "college": "LUMS",
        "start_date": "2020-09-01",
        "end_date": "2022-06-30",
    },
    update_body={"college": "NUST"},
    one_per_user=False,
    text_fields=["degree", "college"],
)
USER_SKILLS = Section(
    path="user_skills",
    model=models.UserSkill,
    factory=factories.UserSkillFactory,
    owner_factory=CandidateFactory,
    other_factory=CompanyFactory,
    create_body={"name": "Scala", "rating": 7},
    created={"name": "Scala", "rating": 7},
    update_body={"rating": 9},
    one_per_user=False,
    text_fields=["name"],
)
COMPANY_PROFILE = Section(
    path="company_profile",
    model=models.Company,
    factory=factories.CompanyProfileFactory,
    owner_factory=CompanyFactory,
    other_factory=CandidateFactory,
    create_body={
        "name": "Acme Labs",
        "about": "",
        "phone": "+1 555 0199",
        "address": "42 Market Street",
        "website": "acme.example",
        "linkedin_link": "acme-labs",
        "twitter_link": "",
    },
    created={
        "name": "Acme Labs",
        "about": "",
        "phone": "+1 555 0199",
        "address": "42 Market Street",
        "website": "acme.example",
        "linkedin_link": "acme-labs",
        "twitter_link": "",
        "logo": None,
        "logo_thumbnail": None,
        "contact_public": False,
    },
    update_body={"about": "Rockets and anvils."},
    text_fields=["name", "about", "phone", "address", "website", "linkedin_link", "twitter_link"],
)

SECTIONS = [PROFILE, EXPERIENCE, AVAILABILITY, ROLE, EDUCATION, USER_SKILLS, COMPANY_PROFILE]
ONE_PER_USER = [section for section in SECTIONS if section.one_per_user]
# Sections a recruiter reads at /user/<section>/<user_id>/user.
CANDIDATE_READ_SECTIONS = [PROFILE, EXPERIENCE, AVAILABILITY, ROLE, EDUCATION]
