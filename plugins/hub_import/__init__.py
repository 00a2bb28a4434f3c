"""hub_import: take over an existing blog (`invoke import`).

Reads a stock Pelican content folder (Markdown with header lines or `---` fences,
reStructuredText, HTML) or a WordPress export (WXR) and plans posts in our format:
YAML front matter with team ids, a status the review gate understands, images copied
under `content/images/posts/<slug>/`, internal links rewritten. Everything that needs a
person is a to-do in the report (German by default, English with HUB_LANG=en; the texts are
in the catalogue locale/de/LC_MESSAGES/hub_import.po).

Not a Pelican plugin (no `register()`): it runs before a build, from `tasks.py`.
The modules, in the order data flows through them:

  pelican_source.py, wxr.py   read a source into SourcePost values (model.py)
  rst_markdown.py, wp_html.py turn reStructuredText and WordPress HTML into Markdown
  links.py                    find and rewrite links and images outside code
  authors.py                  the author mapping file (source name → team id)
  convert.py                  the rules: status, slug, paths, images, to-dos → an ImportPlan
  front_matter.py             our front matter as text, quoted where YAML would misread it
  report.py                   the plan as the editors' report
  run.py                      the thin adapter: files in, files out, exit code
"""

from __future__ import annotations

from .model import ImportInputError

__all__ = ["ImportInputError"]
