"""Dependencies point one way (ARCHITECTURE.md): an app's code imports only the layers below it.

helpers < accounts < profiles, assessments, webhooks < jobs < board < privacy, seeding < job_portal.
Tests and migrations are not application code and are left out; everything else is parsed, so a new
module cannot slip by.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "helpers",
    "accounts",
    "profiles",
    "assessments",
    "webhooks",
    "jobs",
    "board",
    "privacy",
    "seeding",
    "job_portal",
]
ALLOWED = {
    "helpers": set(),
    "accounts": {"helpers"},
    "profiles": {"helpers", "accounts"},
    "assessments": {"helpers", "accounts"},
    "webhooks": {"helpers", "accounts"},
    "jobs": {"helpers", "accounts", "profiles", "assessments", "webhooks"},
    "board": {"helpers", "accounts", "profiles", "assessments", "webhooks", "jobs"},
    "privacy": {"helpers", "accounts", "profiles", "assessments", "webhooks", "jobs", "board"},
    "seeding": {"helpers", "accounts", "profiles", "assessments", "webhooks", "jobs", "board"},
    "job_portal": {
        "helpers",
        "accounts",
        "profiles",
        "assessments",
        "webhooks",
        "jobs",
        "board",
        "privacy",
        "seeding",
    },
}


def application_modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def imported_apps(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in APPS:
                yield top, node.lineno


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_layers_below_it(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in application_modules(app)
        for imported, line in imported_apps(path)
        if imported != app and imported not in ALLOWED[app]
    ]
    assert wrong == []


def test_the_rule_sees_every_app_module():
    """Guards the test itself: each app has modules to check, so a moved tree cannot make it vacuous."""
    assert all(any(application_modules(app)) for app in APPS)


def test_the_rule_catches_an_upward_import(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("from jobs.models import Job\nimport profiles.admin\n")
    assert list(imported_apps(module)) == [("jobs", 1), ("profiles", 2)]
