"""Our front matter as text: values quoted exactly where YAML would read something else."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import yaml

# Plain (unquoted) only for text that starts with a letter or digit and holds nothing YAML
# gives a meaning to; everything else goes in double quotes (json.dumps is valid YAML).
PLAIN = re.compile(r"[0-9A-Za-zÄÖÜäöüß][^:#\[\]{}\"'`,&*!|>%@]*")


def scalar(text: str) -> str:
    if PLAIN.fullmatch(text) and text == text.strip() and _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _reads_back(text: str) -> bool:
    """YAML 1.1 reads `no`, `on`, `2026-01-01`, `1.0` as something other than text."""
    try:
        return bool(yaml.safe_load(text) == text)
    except yaml.YAMLError:
        return False


def flow_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(scalar(value) for value in values) + "]"


def format_date(moment: datetime) -> str:
    """`2026-11-20 09:00 +01:00`, seconds only when the source had them."""
    offset = moment.strftime("%z")
    shown = moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")
    return f"{shown} {offset[:3]}:{offset[3:]}"


@dataclass
class FrontMatter:
    """The fields of one imported file, in the order the README documents them."""

    title: str
    date: datetime | None = None
    modified: datetime | None = None
    authors: tuple[str, ...] = ()
    category: str | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    image: dict[str, str] | None = None
    status: str = "review"
    slug: str = ""
    lang: str | None = None
    translation_of: str | None = None
    comments: list[str] = field(default_factory=list)  # YAML comments on top: origin and to-dos

    def render(self) -> str:
        lines = ["---"]
        lines += [f"# {comment}" for comment in self.comments]
        lines.append(f"title: {scalar(self.title)}")
        if self.date is not None:
            lines.append(f"date: {format_date(self.date)}")
        if self.modified is not None:
            lines.append(f"modified: {format_date(self.modified)}")
        if self.authors:
            lines.append(f"authors: {flow_list(self.authors)}")
        if self.category:
            lines.append(f"category: {scalar(self.category)}")
        if self.tags:
            lines.append(f"tags: {flow_list(self.tags)}")
        if self.summary:
            lines.append(f"summary: {scalar(self.summary)}")
        if self.image is not None:
            lines.append("image:")
            lines += [f"  {key}: {scalar(value)}" for key, value in self.image.items()]
        lines.append(f"status: {self.status}")
        if self.slug:
            lines.append(f"slug: {scalar(self.slug)}")
        if self.lang:
            lines.append(f"lang: {scalar(self.lang)}")
        if self.translation_of:
            lines.append(f"translation_of: {scalar(self.translation_of)}")
        lines.append("---")
        return "\n".join(lines) + "\n"
