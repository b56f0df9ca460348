import factory

from accounts.models import UserAccount

PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    """An active account with password `PASSWORD`."""

    class Meta:
        model = UserAccount
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    type = UserAccount.Type.USER
    password = factory.django.Password(PASSWORD)


class CandidateFactory(UserFactory):
    type = UserAccount.Type.USER


class CompanyFactory(UserFactory):
    email = factory.Sequence(lambda n: f"hiring{n}@company.example")
    type = UserAccount.Type.COMPANY


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@example.com")
    is_staff = True
