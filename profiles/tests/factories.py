import datetime

import factory

from accounts.tests.factories import CandidateFactory, CompanyFactory
from profiles import models


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Profile

    user = factory.SubFactory(CandidateFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    country = "Pakistan"
    phone = "+92 300 1234567"
    bio = "Developer."
    github_link = "octocat"
    linkedin_link = ""


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Experience

    user = factory.SubFactory(CandidateFactory)
    years_of_experience = 5
    years_of_remote_experience = 2
    english_proficiency = models.EnglishProficiency.GREAT


class AvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Availability

    user = factory.SubFactory(CandidateFactory)
    availability_type = models.AvailabilityType.FULL_TIME
    ready_to_start_in = models.ReadyToStart.NOW


class RoleSalaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleSalary

    user = factory.SubFactory(CandidateFactory)
    preferred_role = models.PreferredRole.WEB_BACKEND
    current_salary = "1200000"


class EducationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Education

    user = factory.SubFactory(CandidateFactory)
    degree = "BSc Computer Science"
    college = "FAST NUCES"
    start_date = datetime.date(2015, 9, 1)
    end_date = datetime.date(2019, 6, 30)


class UserSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.UserSkill

    user = factory.SubFactory(CandidateFactory)
    name = factory.Iterator(["Python", "React", "Node.js", "Go", "Java"])
    rating = 7


class CompanyProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Company

    user = factory.SubFactory(CompanyFactory)
    name = factory.Faker("company")
    about = "We build things."
    phone = "+1 555 0100"
    address = "1 Main Street"
    website = "example.com"
    linkedin_link = ""
    twitter_link = ""
