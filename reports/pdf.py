"""PDF from the report's HTML with WeasyPrint (print stylesheet: A4, page numbers, contents)."""

from __future__ import annotations

import logging
from pathlib import Path


def write_pdf(html: str, path: Path) -> None:
    """Render `html` (self-contained: nothing is fetched) to the PDF file `path`."""
    from weasyprint import HTML

    # WeasyPrint warns about CSS it does not know (the CSP meta, screen-only rules): not errors.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf(path)


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """Only inline data: URIs (the charts) may be read; a report never reaches the network."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return dict(default_url_fetcher(url))
    raise ValueError(f"refusing to fetch {url[:80]!r} while writing a report")
