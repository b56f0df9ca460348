"""`manage.py insert_dev` on sheets in the original layout, built in each test (.csv, .xlsx, .xls)."""

import csv
import datetime
import re
from io import StringIO

import openpyxl
import pytest
import xlwt
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from accounts.models import UserAccount
from accounts.tests.factories import CompanyFactory
from assessments.models import Answer, Question
from helpers.testing import client_for
from jobs.models import Job, JobSkill
from profiles.models import (
    Availability,
    Company,
    Education,
    Experience,
    Profile,
    RoleSalary,
    UserSkill,
)
from seeding.demo import DEMO_COMPANIES
from seeding.importer import DEFAULT_PASSWORD, DEFAULT_ROLE, DEFAULT_SALARY

pytestmark = pytest.mark.django_db

# The original's headers, with the trailing spaces real files have.
HEADER = [
    "First Name", "Last Name", "City", "Country", "Mobile Number ", "Years of Experience",
    "Level of English", "Level of Education", "University/College", "Start Date", "Finish Date",
    "Availability", "Tech Stack ", "Tech Stack Score",
]  # fmt: skip

SECTIONS = [UserAccount, Profile, Experience, Availability, RoleSalary, Education, UserSkill]


def row(**changes):
    """A good row as a real file has it; keywords are the header's words, lower-case, joined by `_`."""
    values = {
        "First Name": "Sara",
        "Last Name": "Khan",
        "City": "Lahore",
        "Country": "Pakistan",
        "Mobile Number ": "\t+92 300 1234567 ",
        "Years of Experience": "5",
        "Level of English": "Great",
        "Level of Education": "BS Computer Science",
        "University/College": "FAST NUCES",
        "Start Date": "2012",
        "Finish Date": "2016",
        "Availability": "Full-Time",
        "Tech Stack ": " React Native",
        "Tech Stack Score": "ReactNative - 9",
    }
    for key, value in changes.items():
        column = next(name for name in HEADER if re.sub("[^a-z]", "", name.lower()) == key.replace("_", ""))
        values[column] = value
    return [values[name] for name in HEADER]


def write_csv(path, rows, header=HEADER):
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def write_xlsx(path, rows, header=HEADER):
    workbook = openpyxl.Workbook()
    for cells in [header, *rows]:
        workbook.active.append(cells)
    workbook.save(path)
    return path


def write_xls(path, rows, header=HEADER):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Developers")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, cells in enumerate([header, *rows]):
        for c, value in enumerate(cells):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    workbook.save(str(path))
    return path


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "xls": write_xls}


def insert_dev(*args):
    """Run the command; return (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command("insert_dev", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_rows(tmp_path, rows, *args, kind="csv", header=HEADER):
    path = WRITERS[kind](tmp_path / f"developers.{kind}", rows, header)
    return insert_dev("--file", str(path), *args)


def db_counts():
    return {model.__name__: model.objects.count() for model in SECTIONS}


@pytest.mark.parametrize("kind", ["csv", "xlsx", "xls"])
def test_import_creates_the_developer_and_every_section_from_each_format(tmp_path, kind):
    out, err = import_rows(tmp_path, [row()], kind=kind)

    assert out.strip() == "created 1, updated 0, unchanged 0, skipped 0"
    assert err == ""
    user = UserAccount.objects.get()
    assert (user.email, user.name, user.type) == ("sara@dev.com", "Sara Khan", "user")
    assert check_password(DEFAULT_PASSWORD, user.password)
    profile = Profile.objects.get(user=user)
    assert (profile.first_name, profile.last_name, profile.city, profile.country) == (
        "Sara",
        "Khan",
        "Lahore",
        "Pakistan",
    )
    assert profile.phone == "+92 300 1234567"
    assert profile.bio
    experience = Experience.objects.get(user=user)
    assert (experience.years_of_experience, experience.years_of_remote_experience) == (5, 5)
    assert experience.english_proficiency == "Great"
    availability = Availability.objects.get(user=user)
    assert (availability.availability_type, availability.ready_to_start_in) == ("Full Time", "now")
    role = RoleSalary.objects.get(user=user)
    assert (role.preferred_role, role.current_salary) == (DEFAULT_ROLE, DEFAULT_SALARY)
    education = Education.objects.get(user=user)
    assert (education.degree, education.college) == ("BS Computer Science", "FAST NUCES")
    assert (education.start_date, education.end_date) == (
        datetime.date(2012, 4, 1),
        datetime.date(2016, 4, 1),
    )
    assert list(UserSkill.objects.filter(user=user).values_list("name", "rating")) == [("React Native", 9)]
    assert not Company.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx", "xls"])
def test_import_reads_numeric_cells_as_spreadsheets_store_them(tmp_path, kind):
    numeric = row(years_of_experience=7, start_date=2015, finish_date=2019, tech_stack_score="NodeJS - 9")
    if kind != "csv":
        numeric[HEADER.index("Mobile Number ")] = 923001234567

    import_rows(tmp_path, [numeric], kind=kind)

    assert Experience.objects.get().years_of_experience == 7
    assert Education.objects.get().start_date == datetime.date(2015, 4, 1)
    assert Profile.objects.get().phone == ("923001234567" if kind != "csv" else "+92 300 1234567")


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_import_keeps_full_excel_dates(tmp_path, kind):
    dated = row(start_date=datetime.date(2014, 9, 1), finish_date=datetime.date(2018, 6, 30))

    import_rows(tmp_path, [dated], kind=kind)

    education = Education.objects.get()
    assert (education.start_date, education.end_date) == (
        datetime.date(2014, 9, 1),
        datetime.date(2018, 6, 30),
    )


@pytest.mark.parametrize(
    ("start", "finish", "expected_start", "expected_end"),
    [
        ("2014-09-01", "30/06/2018", datetime.date(2014, 9, 1), datetime.date(2018, 6, 30)),
        ("2020", "Present", datetime.date(2020, 4, 1), None),
        ("2020", "", datetime.date(2020, 4, 1), None),
    ],
)
def test_import_reads_text_dates_and_an_ongoing_education(
    tmp_path, start, finish, expected_start, expected_end
):
    import_rows(tmp_path, [row(start_date=start, finish_date=finish)])

    education = Education.objects.get()
    assert (education.start_date, education.end_date) == (expected_start, expected_end)


def test_a_row_without_education_creates_no_education(tmp_path):
    out, _ = import_rows(
        tmp_path, [row(level_of_education="", university_college="", start_date="", finish_date="")]
    )

    assert out.startswith("created 1,")
    assert not Education.objects.exists()


def test_headers_match_whatever_their_spacing_and_case(tmp_path):
    header = [
        f"  {name.strip().upper()}  " if i % 2 else name.strip().lower() for i, name in enumerate(HEADER)
    ]

    out, _ = import_rows(tmp_path, [row()], header=header)

    assert out.strip() == "created 1, updated 0, unchanged 0, skipped 0"


@pytest.mark.parametrize(
    ("availability", "stored"),
    [("Full-Time", "Full Time"), ("part time", "Part Time"), ("Not Available", "Not Available"),
     ("Pre FullTime", "Pre FullTime"), ("FULL TIME", "Full Time")],
)  # fmt: skip
def test_availability_spellings_map_to_the_choices(tmp_path, availability, stored):
    import_rows(tmp_path, [row(availability=availability)])

    assert Availability.objects.get().availability_type == stored


@pytest.mark.parametrize(
    ("stack", "score", "name", "rating"),
    [
        ("Csharp", "Csharp - 8", "C#", 8),
        ("CSharp", "CSharp - 8", "C#", 8),
        (" React Native", "React Native - 7", "React Native", 7),
        ("NodeJS", "NodeJS - 9", "Node.js", 9),
        ("", "NodeJS - 6", "Node.js", 6),
        ("golang", "10", "Go", 10),
    ],
)
def test_tech_stack_is_canonicalised_and_rated_from_the_score(tmp_path, stack, score, name, rating):
    import_rows(tmp_path, [row(tech_stack=stack, tech_stack_score=score)])

    assert list(UserSkill.objects.values_list("name", "rating")) == [(name, rating)]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"first_name": ""}, "no First Name"),
        ({"last_name": " "}, "no Last Name"),
        ({"tech_stack_score": "NodeJS - nine"}, "Tech Stack Score 'NodeJS - nine' has no rating"),
        ({"tech_stack_score": ""}, "Tech Stack Score '' has no rating"),
        ({"tech_stack_score": "NodeJS - 11"}, "Tech Stack Score rating 11 is not between 1 and 10"),
        ({"tech_stack": "", "tech_stack_score": "9"}, "no Tech Stack"),
        ({"level_of_english": "Fluent"}, "unknown Level of English 'Fluent'"),
        ({"years_of_experience": "five"}, "Years of Experience 'five' is not a number"),
        ({"years_of_experience": "-1"}, "Years of Experience -1 is not between 0 and 60"),
        (
            {"start_date": "2018", "finish_date": "2016"},
            "Finish Date 2016-04-01 is before Start Date 2018-04-01",
        ),
        ({"start_date": "someday"}, "Start Date 'someday' is not a year or a date"),
        ({"start_date": ""}, "Start Date is required when education is given"),
        ({"availability": "Weekends"}, "unknown Availability 'Weekends'"),
        ({"mobile_number": "1" * 51}, "Mobile Number is longer than 50 characters"),
    ],
)
def test_a_bad_row_is_reported_with_its_number_and_skipped_while_good_rows_import(tmp_path, changes, reason):
    rows = [row(first_name="Ali"), row(**changes), row(first_name="Zoya")]

    out, err = import_rows(tmp_path, rows)

    assert out.strip() == "created 2, updated 0, unchanged 0, skipped 1"
    assert err.splitlines()[0].startswith(f"row 3: {reason}")
    assert set(UserAccount.objects.values_list("email", flat=True)) == {"ali@dev.com", "zoya@dev.com"}
    assert Profile.objects.count() == UserSkill.objects.count() == 2


@pytest.fixture
def fail_skill_writes_of(monkeypatch):
    """Arm with a first name: saving that developer's skill (their last write) then fails in the database."""
    create = UserSkill.objects.create

    def arm(first_name):
        def failing_create(**fields):
            if fields["user"].email.startswith(f"{first_name.lower()}@"):
                raise DatabaseError("disk full")
            return create(**fields)

        monkeypatch.setattr(UserSkill.objects, "create", failing_create)

    return arm


def test_a_database_error_partway_through_a_developer_leaves_nothing_of_them(tmp_path, fail_skill_writes_of):
    fail_skill_writes_of("Zoya")
    rows = [row(first_name="Ali"), row(first_name="Zoya"), row(first_name="Omar")]

    out, err = import_rows(tmp_path, rows)

    assert out.strip() == "created 2, updated 0, unchanged 0, skipped 1"
    assert err.splitlines() == ["row 3: not saved: disk full"]
    assert set(UserAccount.objects.values_list("email", flat=True)) == {"ali@dev.com", "omar@dev.com"}
    assert not Profile.objects.filter(first_name="Zoya").exists()
    assert db_counts() == {model.__name__: 2 for model in SECTIONS}


def test_a_database_error_partway_through_an_update_keeps_the_developer_as_before(
    tmp_path, fail_skill_writes_of
):
    import_rows(tmp_path, [row(first_name="Zoya")])
    before = db_counts()
    fail_skill_writes_of("Zoya")
    changed = row(first_name="Zoya", country="Spain", tech_stack="Go", tech_stack_score="Go - 7")

    out, err = import_rows(tmp_path, [changed])

    assert out.strip() == "created 0, updated 0, unchanged 0, skipped 1"
    assert err.splitlines() == ["row 2: not saved: disk full"]
    assert db_counts() == before
    assert Profile.objects.get().country == "Pakistan"


def test_blank_lines_are_ignored_and_rows_keep_their_sheet_numbers(tmp_path):
    rows = [row(first_name="Ali"), [""] * len(HEADER), row(first_name="Bad", level_of_english="?")]

    out, err = import_rows(tmp_path, rows)

    assert out.strip() == "created 1, updated 0, unchanged 0, skipped 1"
    assert err.startswith("row 4: ")


def test_importing_the_same_file_twice_creates_nothing_the_second_time(tmp_path):
    rows = [row(first_name="Ali"), row(first_name="Zoya"), row(first_name="Zoya", last_name="Malik")]
    import_rows(tmp_path, rows)
    before = db_counts()

    out, _ = import_rows(tmp_path, rows)

    assert out.strip() == "created 0, updated 0, unchanged 3, skipped 0"
    assert db_counts() == before


def test_a_changed_row_updates_that_developer_only(tmp_path):
    import_rows(tmp_path, [row(first_name="Ali"), row(first_name="Zoya")])
    before = db_counts()

    changed = row(
        first_name="Zoya", tech_stack_score="ReactNative - 4", level_of_english="Basic", country="Spain"
    )
    out, _ = import_rows(tmp_path, [row(first_name="Ali"), changed])

    assert out.strip() == "created 0, updated 1, unchanged 1, skipped 0"
    assert db_counts() == before
    zoya = UserAccount.objects.get(email="zoya@dev.com")
    assert UserSkill.objects.get(user=zoya).rating == 4
    assert Experience.objects.get(user=zoya).english_proficiency == "Basic"
    assert Profile.objects.get(user=zoya).country == "Spain"


def test_an_update_keeps_what_the_sheet_does_not_describe(tmp_path):
    import_rows(tmp_path, [row()])
    user = UserAccount.objects.get()
    Profile.objects.filter(user=user).update(bio="My own words")
    RoleSalary.objects.filter(user=user).update(preferred_role="Mobile", current_salary="900000")

    out, _ = import_rows(tmp_path, [row(years_of_experience="6")], "--password", "another-one")

    assert out.startswith("created 0, updated 1,")
    user.refresh_from_db()
    assert check_password(DEFAULT_PASSWORD, user.password)
    assert Profile.objects.get(user=user).bio == "My own words"
    assert RoleSalary.objects.filter(user=user, preferred_role="Mobile", current_salary="900000").exists()


def test_password_option_sets_the_password_of_created_accounts(tmp_path):
    import_rows(tmp_path, [row()], "--password", "s3cret-pass")

    assert check_password("s3cret-pass", UserAccount.objects.get().password)


def test_a_second_row_with_the_same_first_name_gets_first_and_last_name_as_email(tmp_path):
    rows = [row(first_name="Ali", last_name="Raza"), row(first_name="ALI", last_name="Hassan")]

    import_rows(tmp_path, rows)

    emails = dict(UserAccount.objects.values_list("name", "email"))
    assert emails == {"Ali Raza": "ali@dev.com", "ALI Hassan": "ali.hassan@dev.com"}


def test_a_third_row_with_the_same_full_name_is_skipped(tmp_path):
    rows = [row(), row(), row()]

    out, err = import_rows(tmp_path, rows)

    assert out.strip() == "created 2, updated 0, unchanged 0, skipped 1"
    assert err.strip() == "row 4: sara.khan@dev.com is already used by row 3 (same name)"


def test_a_row_whose_email_belongs_to_a_company_is_skipped(tmp_path):
    company = CompanyFactory(email="sara@dev.com")

    out, err = import_rows(tmp_path, [row()])

    assert out.strip() == "created 0, updated 0, unchanged 0, skipped 1"
    assert "sara@dev.com belongs to an account that is not a developer" in err
    assert not Profile.objects.filter(user=company).exists()


def test_strict_fails_on_a_bad_row_and_writes_nothing(tmp_path):
    with pytest.raises(CommandError, match="1 bad rows with --strict: nothing written"):
        import_rows(tmp_path, [row(first_name="Ali"), row(level_of_english="Fluent")], "--strict")

    assert all(count == 0 for count in db_counts().values())


def test_strict_imports_a_clean_file(tmp_path):
    out, _ = import_rows(tmp_path, [row()], "--strict")

    assert out.strip() == "created 1, updated 0, unchanged 0, skipped 0"
    assert UserAccount.objects.count() == 1


def test_dry_run_reports_the_counts_and_writes_nothing(tmp_path):
    out, err = import_rows(
        tmp_path, [row(first_name="Ali"), row(first_name="Zoya", years_of_experience="x")], "--dry-run"
    )

    assert out.strip() == "created 1, updated 0, unchanged 0, skipped 1 (dry run: nothing written)"
    assert err.startswith("row 3: ")
    assert all(count == 0 for count in db_counts().values())


def test_dry_run_of_a_changed_file_leaves_the_developer_as_it_was(tmp_path):
    import_rows(tmp_path, [row()])

    out, _ = import_rows(tmp_path, [row(tech_stack_score="ReactNative - 2")], "--dry-run")

    assert out.startswith("created 0, updated 1,")
    assert UserSkill.objects.get().rating == 9


def test_a_missing_required_column_is_one_clear_error_naming_it(tmp_path):
    header = [name for name in HEADER if name.strip() not in ("Tech Stack Score", "Level of English")]
    path = write_csv(tmp_path / "developers.csv", [row()[: len(header)]], header)

    with pytest.raises(CommandError) as raised:
        insert_dev("--file", str(path))

    assert (
        str(raised.value) == "developers.csv is missing required columns: Level of English, Tech Stack Score"
    )
    assert not UserAccount.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "photo.png is not a spreadsheet"),
        ("notes.txt", b"First Name,Last Name\n", "notes.txt is not a spreadsheet"),
        ("developers.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "developers.csv is not a text CSV file"),
        (
            "developers.xlsx",
            b"PK\x03\x04 not really a zip",
            "developers.xlsx is not a readable .xlsx workbook",
        ),
        ("developers.csv", b"", "developers.csv is empty"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_one_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        insert_dev("--file", str(path))

    assert not UserAccount.objects.exists()


def test_a_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(CommandError, match="file not found: .*nowhere.csv"):
        insert_dev("--file", str(tmp_path / "nowhere.csv"))


def test_synthetic_cannot_be_combined_with_a_file(tmp_path):
    with pytest.raises(CommandError, match="cannot be combined"):
        insert_dev("--synthetic", "3", "--file", str(write_csv(tmp_path / "d.csv", [row()])))


def test_demo_load_creates_developers_companies_open_jobs_and_an_assessment():
    out, err = insert_dev()

    assert err == ""
    assert out.splitlines() == [
        f"demo data: created {len(DEMO_COMPANIES)} companies, 6 jobs, 5 assessment questions",
        "created 40, updated 0, unchanged 0, skipped 0",
    ]
    assert UserAccount.objects.filter(type="user", email__endswith="@dev.com").count() == 40
    companies = UserAccount.objects.filter(type="company")
    assert set(companies.values_list("email", flat=True)) == {demo.email for demo in DEMO_COMPANIES}
    assert Company.objects.filter(user__in=companies).count() == len(DEMO_COMPANIES)
    assert not Company.objects.filter(user__type="user").exists()
    assert Job.objects.filter(status="open").count() == 6
    assert not Job.objects.filter(skills__isnull=True).exists()
    questions = Question.objects.filter(is_active=True)
    assert list(questions.values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    for question in questions:
        answers = Answer.objects.filter(question=question)
        assert 3 <= answers.count() <= 4
        assert answers.filter(is_correct=True).count() == 1


def test_demo_load_twice_creates_nothing_new():
    insert_dev()
    before = db_counts() | {m.__name__: m.objects.count() for m in (Job, JobSkill, Question, Answer, Company)}

    out, _ = insert_dev()

    assert out.splitlines() == [
        "demo data: created 0 companies, 0 jobs, 0 assessment questions",
        "created 0, updated 0, unchanged 40, skipped 0",
    ]
    after = db_counts() | {m.__name__: m.objects.count() for m in (Job, JobSkill, Question, Answer, Company)}
    assert after == before


def test_every_demo_job_recommends_some_demo_developers():
    insert_dev()

    for job in Job.objects.select_related("user"):
        response = client_for(job.user).post("/user/recommend/list", {"job": str(job.id)}, format="json")
        assert response.status_code == 200, job.title
        assert len(response.json()) > 0, job.title


def test_demo_logins_work_with_the_default_password(api_client):
    insert_dev()

    for email in (DEMO_COMPANIES[0].email, "ayesha@dev.com"):
        response = api_client.post(
            "/auth/jwt/create/", {"email": email, "password": DEFAULT_PASSWORD}, format="json"
        )
        assert response.status_code == 200, email


def test_demo_dry_run_writes_nothing():
    out, _ = insert_dev("--dry-run")

    assert out.splitlines()[-1] == "created 40, updated 0, unchanged 0, skipped 0 (dry run: nothing written)"
    assert not UserAccount.objects.exists()
    assert not Question.objects.exists()


def test_demo_questions_go_through_the_import_rules_so_one_without_a_correct_answer_is_refused(monkeypatch):
    from assessments.services import ImportRefused
    from seeding import demo

    monkeypatch.setattr(demo, "DEMO_QUESTIONS", (("Which is right?", (("Neither", False),)),))

    with pytest.raises(ImportRefused, match="has no correct answer"):
        insert_dev()

    assert not Question.objects.exists()
    assert not Job.objects.exists()
