"""Random front matter never crashes the checks; every finding names the file."""

from __future__ import annotations

import string
from datetime import date, datetime
from pathlib import Path

import yaml
from hub_content.calendar import Calendar, TeamMember
from hub_content.fields import KNOWN_KEYS, CheckContext
from hub_content.frontmatter_split import split_document
from hub_content.loader import check_item
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PATH = "content/posts/zufall.md"
CONTEXT = CheckContext(
    content_root=Path("/nonexistent-content-root"),
    calendar=Calendar(
        "editorial_calendar.yaml", team={"jdoe": TeamMember("jdoe", "J Doe", "R", rights=frozenset({"author"}))}
    ),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.dates(min_value=date(1, 1, 1)),
    st.datetimes(min_value=datetime(1, 1, 1)),
    st.sampled_from(
        ["no", "yes", "on", "2026-11-02", "2026-02-30 10:00", "2026-02-30", "../x", "{static}/a.png", "jdoe", ""]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
keys = st.sampled_from(KNOWN_KEYS) | st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=12)


def run(text: str) -> None:
    document = split_document(text, PATH)
    _, findings = check_item(document, Path(PATH), "article", CONTEXT)
    for finding in findings:
        assert finding.path == PATH
        assert finding.line >= 1
        assert finding.render().startswith(f"{PATH}:{finding.line}:")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, max_size=8), st.text(max_size=200))
def test_random_fields(fields: dict, body: str) -> None:
    run("---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_between_the_dashes(front_matter: str) -> None:
    run("---\n" + front_matter + "\n---\nText\n")
