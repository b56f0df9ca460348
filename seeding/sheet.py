"""Developer sheets in the original layout: their columns, and parsing each row (reading: helpers.sheets).

Reading and parsing touch no database: a whole file can be checked before anything is written
(`--strict`). Rows are numbered as a spreadsheet shows them (the header is usually row 1).
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from helpers import sheets
from helpers.sheets import SheetRow
from profiles.models import AvailabilityType, EnglishProficiency, UserSkill

FIRST_NAME = "First Name"
LAST_NAME = "Last Name"
CITY = "City"
COUNTRY = "Country"
MOBILE = "Mobile Number"
YEARS = "Years of Experience"
ENGLISH = "Level of English"
EDUCATION = "Level of Education"
COLLEGE = "University/College"
START = "Start Date"
FINISH = "Finish Date"
AVAILABILITY = "Availability"
TECH_STACK = "Tech Stack"
SCORE = "Tech Stack Score"

COLUMNS = [
    FIRST_NAME, LAST_NAME, CITY, COUNTRY, MOBILE, YEARS, ENGLISH, EDUCATION, COLLEGE, START, FINISH,
    AVAILABILITY, TECH_STACK, SCORE,
]  # fmt: skip
"""The layout, in the original's column order."""

REQUIRED_COLUMNS = [FIRST_NAME, LAST_NAME, YEARS, ENGLISH, AVAILABILITY, TECH_STACK, SCORE]
"""Headers a sheet must have; the others may be left out (their values are then blank)."""

EDUCATION_MONTH_DAY = (4, 1)
"""A start or finish given as a bare year is stored as 1 April of that year, as the original did."""

MAX_YEARS = 60

_ONGOING = {"present", "current", "ongoing", "now", "-"}
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y", "%b %Y", "%B %Y"]
_SCORE = re.compile(r"^(?:(?P<name>.+?)\s*[-\u2013:]\s*)?(?P<rating>\d+(?:\.0*)?)$")
_SPACES = re.compile(r"\s+")
_AVAILABILITY = {re.sub(r"[^a-z]", "", value.lower()): value for value in AvailabilityType.values}
_ENGLISH = {value.lower(): value for value in EnglishProficiency.values}
_SKILL_NAME = UserSkill._meta.get_field("name")


class RowError(Exception):
    """One row cannot be imported; the message is the reason shown to the user."""


@dataclass(frozen=True)
class DeveloperRow:
    """One developer as the sheet describes them, validated and normalised."""

    number: int
    first_name: str
    last_name: str
    city: str
    country: str
    phone: str
    years_of_experience: int
    english_proficiency: str
    degree: str
    college: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    availability_type: str
    skill_name: str
    skill_rating: int

    @property
    def has_education(self) -> bool:
        return self.start_date is not None


def read_sheet(path: str | Path) -> list[SheetRow]:
    """All non-blank data rows of a developer sheet; raises SheetError with a one-line reason."""
    return sheets.read_sheet(path, columns=COLUMNS, required=REQUIRED_COLUMNS)


def parse_row(row: SheetRow) -> DeveloperRow:
    """Validate and normalise one row; raises RowError naming the first problem found."""
    values = row.values
    start = _date(values.get(START), START)
    end = _date(values.get(FINISH), FINISH, allow_ongoing=True)
    degree = _text(values.get(EDUCATION), EDUCATION, 255)
    college = _text(values.get(COLLEGE), COLLEGE, 255)
    if (degree or college or end) and start is None:
        raise RowError(f"{START} is required when education is given")
    if start and not (degree and college):
        raise RowError(f"{EDUCATION} and {COLLEGE} are required when {START} is given")
    if start and end and end < start:
        raise RowError(f"{FINISH} {end.isoformat()} is before {START} {start.isoformat()}")
    skill_name, rating = _skill(values.get(TECH_STACK), values.get(SCORE))
    return DeveloperRow(
        number=row.number,
        first_name=_required_text(values.get(FIRST_NAME), FIRST_NAME, 100),
        last_name=_required_text(values.get(LAST_NAME), LAST_NAME, 100),
        city=_text(values.get(CITY), CITY, 100),
        country=_text(values.get(COUNTRY), COUNTRY, 100),
        phone=_text(values.get(MOBILE), MOBILE, 50),
        years_of_experience=_years(values.get(YEARS)),
        english_proficiency=_english(values.get(ENGLISH)),
        degree=degree,
        college=college,
        start_date=start,
        end_date=end,
        availability_type=_availability(values.get(AVAILABILITY)),
        skill_name=skill_name,
        skill_rating=rating,
    )


def email_local_part(name: str) -> str:
    """`José María` -> `josemaria`: ASCII letters and digits only, lower-cased."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_name.lower())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


def _text(value: object, column: str, max_length: int) -> str:
    text = _cell_text(value)
    if len(text) > max_length:
        raise RowError(f"{column} is longer than {max_length} characters")
    return text


def _required_text(value: object, column: str, max_length: int) -> str:
    text = _text(value, column, max_length)
    if not text:
        raise RowError(f"no {column}")
    return text


def _years(value: object) -> int:
    text = _cell_text(value)
    try:
        years = float(text)
    except ValueError:
        raise RowError(f"{YEARS} {text!r} is not a number") from None
    if not 0 <= years <= MAX_YEARS:
        raise RowError(f"{YEARS} {text} is not between 0 and {MAX_YEARS}")
    return int(years)


def _english(value: object) -> str:
    text = _cell_text(value)
    try:
        return _ENGLISH[text.lower()]
    except KeyError:
        expected = ", ".join(EnglishProficiency.values)
        raise RowError(f"unknown {ENGLISH} {text!r} (expected {expected})") from None


def _availability(value: object) -> str:
    text = _cell_text(value)
    try:
        return _AVAILABILITY[re.sub(r"[^a-z]", "", text.lower())]
    except KeyError:
        expected = ", ".join(AvailabilityType.values)
        raise RowError(f"unknown {AVAILABILITY} {text!r} (expected {expected})") from None


def _skill(stack: object, score: object) -> tuple[str, int]:
    """The skill's canonical name and its rating, the number after the dash in `NodeJS - 9`.

    The name comes from Tech Stack; the name part of the score is used only when Tech Stack is blank.
    """
    score_text = _cell_text(score)
    match = _SCORE.match(score_text)
    if not match:
        raise RowError(f"{SCORE} {score_text!r} has no rating (expected like 'NodeJS - 9')")
    rating = int(float(match["rating"]))
    if not 1 <= rating <= 10:
        raise RowError(f"{SCORE} rating {rating} is not between 1 and 10")
    name = _SKILL_NAME.to_python(_cell_text(stack) or match["name"] or "")
    if not name:
        raise RowError(f"no {TECH_STACK}")
    if len(name) > 100:
        raise RowError(f"{TECH_STACK} is longer than 100 characters")
    return name, rating


def _date(value: object, column: str, *, allow_ongoing: bool = False) -> datetime.date | None:
    """A year (-> 1 April), an Excel date, or a date written as text; None when blank."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value)
    if not text or (allow_ongoing and text.lower() in _ONGOING):
        return None
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        if 1900 <= year <= 2100:
            return datetime.date(year, *EDUCATION_MONTH_DAY)
    else:
        for date_format in _DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
    raise RowError(f"{column} {text!r} is not a year or a date")
