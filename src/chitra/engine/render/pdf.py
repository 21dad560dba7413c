"""PDF as the documents print it (ReportLab, imported on first use so that importing this module
stays cheap): Noto Serif from fontpkg-noto-serif embedded (every Vietnamese letter renders),
bold drawn from a regular face when no bold face is installed, a canvas numbering its pages
"Trang x/y", text wrapped to a column width."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chitra.engine.render.text import fill_template

__all__ = ["PdfFonts", "pdf_classes", "pdf_fonts", "wrap_text"]


@dataclass(frozen=True)
class PdfFonts:
    regular: str
    bold: str
    italic: str
    fake_bold: bool  # no bold face available: bold text is drawn filled and stroked


@functools.lru_cache(maxsize=1)
def pdf_fonts() -> PdfFonts:
    """Register Noto Serif with ReportLab once.

    fontpkg-noto-serif ships variable fonts only (``NotoSerif[wdth,wght].ttf``): ReportLab embeds
    their default instance, Regular (and Italic from the italic file). A static Bold file is used
    when the package provides one; otherwise bold text is synthesised (fill + stroke).
    """
    import fontpkg
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    family = "Noto Serif"
    regular_path = Path(fontpkg.path(family, 400))
    pdfmetrics.registerFont(TTFont("NotoSerif", str(regular_path)))
    bold_path = Path(fontpkg.path(family, 700, nearest=True))
    fake_bold = True
    bold = "NotoSerif"
    if bold_path != regular_path:
        pdfmetrics.registerFont(TTFont("NotoSerif-Bold", str(bold_path)))
        bold, fake_bold = "NotoSerif-Bold", False
    italic = "NotoSerif"
    with suppress(Exception):  # no italic file: regular
        italic_path = Path(fontpkg.path(family, 400, "italic", nearest=True))
        pdfmetrics.registerFont(TTFont("NotoSerif-Italic", str(italic_path)))
        italic = "NotoSerif-Italic"
    return PdfFonts(regular="NotoSerif", bold=bold, italic=italic, fake_bold=fake_bold)


@functools.lru_cache(maxsize=1)
def pdf_classes() -> tuple[type, type]:
    """(bold paragraph class, numbered canvas class), built on first use (ReportLab is imported
    lazily so that importing this module stays cheap)."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    class BoldParagraph(Paragraph):  # type: ignore[misc]
        """A paragraph drawn filled and stroked: bold from a regular face."""

        def draw(self) -> None:
            canv = self.canv
            canv.saveState()
            canv.setStrokeColor(self.style.textColor)
            canv.setLineWidth(self.style.fontSize * 0.035)
            canv.addLiteral("2 Tr")  # text render mode: fill, then stroke
            super().draw()
            canv.restoreState()

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Defers pages so that each footer can say "Trang x/y"."""

        def __init__(
            self,
            *args: Any,
            footer_left: str = "",
            page_label: str = "",
            font: str = "Helvetica",
            **kwargs: Any,
        ) -> None:
            super().__init__(*args, **kwargs)
            self._footer_left = footer_left
            self._page_label = page_label
            self._footer_font = font
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._footer(pages)
                Canvas.showPage(self)
            Canvas.save(self)

        def _footer(self, pages: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setFont(self._footer_font, 8)
            self.drawString(28, 16, self._footer_left)
            self.drawRightString(
                width - 28, 16, fill_template(self._page_label, page=self._pageNumber, pages=pages)
            )
            self.restoreState()

    return BoldParagraph, NumberedCanvas


def wrap_text(
    text: str,
    font: str,
    size: float,
    width: float,
    string_width: Callable[[str, str, float], float],
) -> str:
    """``text`` broken into lines no wider than ``width`` (joined with newlines): at spaces,
    and inside a word too long for a line preferably after a dash or a slash."""
    if string_width(text, font, size) <= width:
        return text
    from reportlab.lib.utils import simpleSplit

    out: list[str] = []
    for line in simpleSplit(text, font, size, width):
        while len(line) > 1 and string_width(line, font, size) > width:
            fit = 1
            while fit < len(line) and string_width(line[: fit + 1], font, size) <= width:
                fit += 1
            cut = max((line.rfind(ch, 0, fit) + 1 for ch in "–-/,"), default=0)
            cut = cut if cut > 0 else fit
            out.append(line[:cut])
            line = line[cut:].lstrip()
        if line:
            out.append(line)
    return "\n".join(out)
