"""The report's PDF: German text survives the round trip, and a failed render leaves no file."""

from __future__ import annotations

import pytest
from hub_stats.report.pdf import write_pdf
from pypdf import PdfReader


def test_the_pdf_holds_the_html_text_with_umlauts(tmp_path):
    target = tmp_path / "bericht.pdf"
    write_pdf("<h1>Monatsbericht</h1><p>Größte Reichweite: 1.234 Aufrufe</p>", target, base=tmp_path)

    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Monatsbericht" in text
    assert "Größte Reichweite: 1.234 Aufrufe" in text


def test_a_failed_render_leaves_no_file(tmp_path):
    target = tmp_path / "bericht.pdf"
    with pytest.raises(TypeError):
        write_pdf(None, target, base=tmp_path)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
