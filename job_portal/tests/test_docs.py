"""The README and `docs/` tell the truth: every variable the settings read is documented, every relative
link and anchor resolves, the README stays a short guide, and its tour of the API runs as written."""

import ast
import os
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
# Modules that read the environment at startup; manage.py commands and scripts document their own.
ENV_READERS = [
    ROOT / "job_portal" / name for name in ("settings.py", "database.py", "background.py", "gunicorn.conf.py")
]


def _first_string(args):
    return next((a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)), None)


def env_variables_read(path):
    """Names read through django-environ (`env.str("NAME")`, `strict_bool(env, "NAME")`) or `os.environ`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            if re.fullmatch(r"env\.\w+", called) or called in ("strict_bool", "os.environ.get", "os.getenv"):
                name = _first_string(node.args)
                if name:
                    names.add(name)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return names


def documented_variables():
    """Backticked names in the first column of the tables in docs/configuration.md."""
    names = set()
    for line in (ROOT / "docs" / "configuration.md").read_text().splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]))
    return names


def test_every_environment_variable_read_at_startup_is_documented():
    read = set().union(*(env_variables_read(path) for path in ENV_READERS))

    # The parser must find them: a change in how settings read the environment must not pass silently.
    assert len(read) > 60
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "AWS_LOCATION", "WEB_CONCURRENCY", "HOST"} <= read
    assert sorted(read - documented_variables()) == []


def slug(heading):
    """GitHub's anchor for a heading: markup dropped, lower case, punctuation gone, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def prose(text):
    """The text outside fenced code blocks and inline code, where links live."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def anchors(path):
    """A page's heading anchors; a repeated heading gets -1, -2... as on GitHub."""
    found, repeats = set(), {}
    for line in re.sub(r"^```.*?^```", "", path.read_text(), flags=re.M | re.S).splitlines():
        if match := re.match(r"#+ (.*)", line):
            base = slug(match.group(1))
            found.add(f"{base}-{repeats[base]}" if base in repeats else base)
            repeats[base] = repeats.get(base, 0) + 1
    return found


def relative_links(path):
    for target in re.findall(r"\]\(([^)\s]+)\)", prose(path.read_text())):
        if not re.match(r"[a-z]+:", target):
            yield target


def test_every_relative_link_and_anchor_in_the_readme_and_docs_resolves():
    checked, broken = 0, []
    for page in PAGES:
        for target in relative_links(page):
            checked += 1
            file_part, _, anchor = target.partition("#")
            resolved = (page.parent / file_part).resolve() if file_part else page
            if ROOT not in resolved.parents or not resolved.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such file in the repository)")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")

    assert checked > 40
    assert broken == []


def test_the_readme_is_a_short_guide_that_links_every_docs_page():
    text = README.read_text()
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in relative_links(README)}

    assert len(text.splitlines()) < 300
    assert "## Contents" in text
    assert "`bash scripts/run`" in text and "`bash scripts/test`" in text
    assert len(DOCS) >= 7
    assert [page.name for page in DOCS if page not in linked] == []


def readme_tour():
    """The bash blocks of the README's "A tour of the API" section, in order."""
    section = README.read_text().split("\n## A tour of the API\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"^```bash\n(.*?)^```", section, flags=re.M | re.S))


@pytest.mark.django_db(transaction=True)
def test_the_readme_tour_runs_as_written_against_a_live_server_with_the_demo_data(live_server):
    if shutil.which("curl") is None:
        pytest.skip("the tour uses curl")
    call_command("insert_dev", stdout=StringIO(), stderr=StringIO())

    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", readme_tour()],
        env={**os.environ, "API": live_server.url},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert '"name":"Dana Diaz","rate":90' in result.stdout  # ranked first for the job she matches
    assert '"email":"dana.' in result.stdout  # her contact details, once she applied
    assert '"to_stage":"hired","reason":"","by":"company"' in result.stdout
