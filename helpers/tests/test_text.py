"""The hostile-text rule (helpers/text.py) as a pure function: what names, short and long texts accept."""

import pytest

from helpers.text import BIDI, BLANK, CONTROL, INVISIBLE, text_problem


@pytest.mark.parametrize(
    ("value", "multiline", "problem"),
    [
        ("Ada Lovelace", False, None),
        ("Zoë Ñúñez 李雷 محمد", False, None),
        ("👨\u200d👩\u200d👧 family", False, None),  # joiners inside an emoji sequence
        ("می\u200cخواهم", False, None),  # Persian zero-width non-joiner
        ("line one\nline two\r\n\tindented", True, None),
        ("", False, None),
        ("tab\there", False, CONTROL),
        ("new\nline", False, CONTROL),
        ("nul\x00byte", True, CONTROL),
        ("\x1b[31mred\x1b[0m", True, CONTROL),
        ("c1\x85control", True, CONTROL),
        ("del\x7f", False, CONTROL),
        ("evil\u202egpj.exe", True, BIDI),
        ("isolate\u2066x\u2069", False, BIDI),
        ("mark\u200f", False, BIDI),
        ("zero\u200bwidth", False, INVISIBLE),
        ("\ufeffbom", True, INVISIBLE),
        ("soft\u00adhyphen", False, INVISIBLE),
        ("\u200d\u200d", False, BLANK),
        (" \u200c ", True, BLANK),
        ("\u3000", False, BLANK),
    ],
)
def test_text_problem(value, multiline, problem):
    assert text_problem(value, multiline=multiline) == problem


def test_the_rule_imports_no_app():
    import helpers.text

    source = open(helpers.text.__file__).read()
    for app in ("accounts", "profiles", "jobs", "assessments"):
        assert f"from {app}" not in source and f"import {app}" not in source
