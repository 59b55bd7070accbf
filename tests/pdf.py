"""PDF text for assertions, read with pypdf so that the tests need no poppler on the machine."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    """Every page's text in reading order, pages separated by a form feed as pdftotext does."""
    return "\f".join(page.extract_text() or "" for page in PdfReader(path).pages)
