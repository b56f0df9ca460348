"""A job as schema.org `JobPosting` JSON-LD, the data search engines index a job page by.

Pure: plain attributes in (a `Job`, or anything with its field names), a dict out; no database.
Mapping (Google's job posting guidelines):

- `employmentType`: full_time/part_time/contract/internship -> FULL_TIME/PART_TIME/CONTRACTOR/INTERN.
- A remote job: `jobLocationType` TELECOMMUTE and `applicantLocationRequirements`, one `Country`
  per country code and one `AdministrativeArea` per region (EU, EEA...) of `remote_regions`, or the
  job's own country when it names none; any other job: `jobLocation`, a `Place` whose
  `PostalAddress` has the city and country. A remote job with a city or country keeps that office
  as `jobLocation` too.
- `baseSalary`: a `MonetaryAmount` in `salary_currency` whose `QuantitativeValue` has the bounds
  given and `unitText` YEAR/MONTH/HOUR; left out without a currency or any bound.
- `validThrough`: the end of the `valid_through` day in UTC, the last moment the job is open.
- Empty fields are left out rather than sent empty (an empty value is an error to a validator).

`script_json` writes the block so that no text inside it can end the `<script>` element.
"""

import json

from helpers.geo import COUNTRIES, REGION_NAMES

EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "internship": "INTERN",
}
SALARY_UNITS = {"year": "YEAR", "month": "MONTH", "hour": "HOUR"}

# What `django.utils.html.json_script` escapes: `<`, `>` and `&` as JSON escapes, so `</script>`
# or `<!--` in a description cannot close the element; U+2028/9 too, for old JavaScript parsers.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(data) -> str:
    """`data` as JSON safe to place between `<script type="application/ld+json">` and `</script>`."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


def absolute_website(website: str) -> str:
    """The company's website as a URL (`acme.example` -> `https://acme.example`); "" if it is none."""
    website = (website or "").strip()
    if not website or any(character.isspace() for character in website):
        return ""
    if website.startswith(("https://", "http://")):
        return website
    return "" if "://" in website or "." not in website else f"https://{website}"


def _place(job) -> dict | None:
    address = {"@type": "PostalAddress"}
    if job.city:
        address["addressLocality"] = job.city
    if job.country:
        address["addressCountry"] = job.country
    return {"@type": "Place", "address": address} if len(address) > 1 else None


def _applicant_locations(job) -> list[dict]:
    codes = job.remote_regions or ([job.country] if job.country else [])
    return [
        {"@type": "Country", "name": code}
        if code in COUNTRIES
        else {"@type": "AdministrativeArea", "name": REGION_NAMES.get(code, code)}
        for code in codes
    ]


def _salary(job) -> dict | None:
    bounds = {"minValue": job.salary_min, "maxValue": job.salary_max}
    bounds = {key: value for key, value in bounds.items() if value is not None}
    if not job.salary_currency or not bounds:
        return None
    value = {"@type": "QuantitativeValue", **bounds}
    if job.salary_period:
        value["unitText"] = SALARY_UNITS[job.salary_period]
    return {"@type": "MonetaryAmount", "currency": job.salary_currency, "value": value}


def job_posting(
    job, *, company_name: str, website: str, logo_url: str | None, page_url: str, site_name: str
) -> dict:
    """The `JobPosting` of `job` as its public page at `page_url` shows it."""
    organization = {"@type": "Organization", "name": company_name}
    if absolute_website(website):
        organization["sameAs"] = absolute_website(website)
    if logo_url:
        organization["logo"] = logo_url
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "description": job.description,
        "datePosted": job.created_at.date().isoformat(),
        "hiringOrganization": organization,
        "directApply": True,
        "identifier": {"@type": "PropertyValue", "name": site_name, "value": str(job.pk)},
        "url": page_url,
    }
    if job.valid_through:
        posting["validThrough"] = f"{job.valid_through.isoformat()}T23:59:59+00:00"
    if job.employment_type:
        posting["employmentType"] = EMPLOYMENT_TYPES[job.employment_type]
    place = _place(job)
    if job.workplace == "remote":
        posting["jobLocationType"] = "TELECOMMUTE"
        locations = _applicant_locations(job)
        if locations:
            posting["applicantLocationRequirements"] = locations
    if place is not None:
        posting["jobLocation"] = place
    salary = _salary(job)
    if salary is not None:
        posting["baseSalary"] = salary
    return posting
