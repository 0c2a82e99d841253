"""Render a .docx to PDF and PNG pages for a visual check of the GB/T 9704 layout.

Needs LibreOffice (libreoffice-writer-nogui), poppler-utils and fonts-noto-cjk; the fonts GB/T 9704
names are mapped onto Noto CJK by src/rectify/reports/fonts/fonts.conf.

    python bench/preview_docx.py                  # a sample notice (see docx_bench.py)
    python bench/preview_docx.py FILE.docx -o out/ --pages 1-3
"""

from __future__ import annotations

import argparse
import io
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
FONTS_CONF = REPO / "src" / "rectify" / "reports" / "fonts" / "fonts.conf"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def imitate_word_char_grid(data: bytes) -> bytes:
    """A copy LibreOffice lays out as Word does: 28 characters on a line.

    Word's "lines and characters" grid (docGrid linesAndChars, charSpace < 0) condenses each
    16 pt character to the 15.8 pt pitch. LibreOffice maps it to its own character grid, where a
    glyph wider than a cell takes two cells, so it shows 14 characters per line. The preview
    therefore keeps only the line grid and condenses the grid-snapped runs by the same amount.
    """
    from docx import Document  # noqa: PLC0415
    from docx.oxml import OxmlElement  # noqa: PLC0415

    from rectify.reports.gbt9704 import CHAR_PITCH  # noqa: PLC0415

    document = Document(io.BytesIO(data))
    grid = document.sections[0]._sectPr.find(f"{W}docGrid")
    char_space = int(grid.get(f"{W}charSpace", "0"))
    grid.set(f"{W}type", "lines")
    off_grid_styles = {
        style.style_id
        for style in document.styles
        if style.element.find(f"{W}pPr/{W}snapToGrid[@{W}val='0']") is not None
    }
    for p in document.element.body.iter(f"{W}p"):
        if p.find(f"{W}pPr/{W}snapToGrid[@{W}val='0']") is not None:
            continue
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in off_grid_styles:
            continue
        for rpr in p.iter(f"{W}rPr"):
            size = rpr.find(f"{W}sz")
            if size is None:
                continue
            # Condense to the grid pitch, rounded down in twentieths of a point so 28 still fit.
            pitch_pt = int(size.get(f"{W}val")) / 2 + char_space / 4096
            condense = math.floor((min(pitch_pt, CHAR_PITCH / 20) - int(size.get(f"{W}val")) / 2) * 20)
            spacing = OxmlElement("w:spacing")
            spacing.set(f"{W}val", str(condense))
            size.addprevious(spacing)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    """Convert with headless LibreOffice under the preview font aliases; returns the PDF path."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk")
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    with tempfile.TemporaryDirectory() as profile:
        # A throw-away profile, so a running LibreOffice or a stale lock never blocks the conversion.
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
            timeout=180,
        )
    return out_dir / f"{docx.stem}.pdf"


def pdf_to_png(pdf: Path, first: int, last: int, dpi: int = 100) -> list[Path]:
    """Pages first..last as PNG files next to the PDF (pdftoppm from poppler-utils)."""
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf), str(prefix)],
        check=True,
    )
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", nargs="?", type=Path, help="a .docx; default: a generated sample notice")
    parser.add_argument("-o", "--out", type=Path, default=None, help="output folder (default: a temp folder)")
    parser.add_argument("--pages", default="1-2", help="page range to rasterise, e.g. 1-2")
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="convert the file unchanged (LibreOffice's own character grid: 14 per line)",
    )
    args = parser.parse_args(argv)

    out = args.out or Path(tempfile.mkdtemp(prefix="rectify-preview-"))
    out.mkdir(parents=True, exist_ok=True)
    docx = args.docx
    if docx is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from docx_bench import sample_notice  # noqa: PLC0415  (script-only import)

        from rectify.reports.notice_docx import render_notice_docx  # noqa: PLC0415

        notice, body_before, next_steps = sample_notice(measures=24)
        docx = out / "notice.docx"
        docx.write_bytes(render_notice_docx(notice, body_before=body_before, next_steps=next_steps))
    if not args.as_is:
        patched = out / f"{docx.stem}.preview.docx"
        patched.write_bytes(imitate_word_char_grid(docx.read_bytes()))
        docx = patched
    pdf = docx_to_pdf(docx, out)
    first, _, last = args.pages.partition("-")
    pages = pdf_to_png(pdf, int(first), int(last or first), args.dpi)
    print(pdf)
    for page in pages:
        print(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
