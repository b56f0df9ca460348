import factory

from accounts.tests.factories import CandidateFactory, CompanyFactory
from jobs import models


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Job

    class Params:
        closed = factory.Trait(status=models.Job.Status.CLOSED)

    user = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Backend Engineer {n}")
    description = "Build and run our APIs."
    work_email = "jobs@company.example"
    hiring_needs = models.HiringNeeds.FULL_TIME
    current_employees = models.CompanySize.MEDIUM
    name = factory.Faker("company")
    phone = "+1 555 0100"
    website = "company.example"


class JobSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.JobSkill

    job = factory.SubFactory(JobFactory)
    name = factory.Iterator(["Python", "React", "Node.js", "Go", "Java"])
    rating = 7


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application as the candidate made it; its creation event is written like the service does."""

    class Meta:
        model = models.Application
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    job = factory.SubFactory(JobFactory)
    stage = models.Stage.APPLIED
    source = models.Source.APPLIED

    @factory.post_generation
    def creation_event(self, create, extracted, **kwargs):
        if create:
            reason = models.RejectionReason.OTHER if self.stage == models.Stage.REJECTED else ""
            models.ApplicationEvent.objects.create(
                application=self, actor=self.candidate, to_stage=self.stage, reason=reason
            )
