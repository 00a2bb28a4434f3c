"""The report as PDF: WeasyPrint renders the same HTML (its print CSS: one page per department).

WeasyPrint needs Pango from the system (Debian: libpango-1.0-0), which CI images and desktops have;
without it the HTML and CSV are written and the PDF is reported as missing, never half-written.
"""

from __future__ import annotations

from pathlib import Path

from hub_core.files import replace_atomically


def write_pdf(html: str, target: Path, *, base: Path) -> None:
    """Render `html` (relative links resolved against `base`) into `target`, atomically."""
    import weasyprint  # imported here: loading Pango costs a second that `invoke report --no-pdf` need not pay

    document = weasyprint.HTML(string=html, base_url=str(base)).render()
    replace_atomically(target, lambda stream: document.write_pdf(stream))
