"""Render a .docx or .xlsx to PDF and PNG pages for a visual check of the layout.

Needs LibreOffice (libreoffice-writer-nogui, libreoffice-calc-nogui), poppler-utils and
fonts-noto-cjk; the fonts GB/T 9704 names are mapped onto Noto CJK by
src/rectify/reports/fonts/fonts.conf, the same aliases the PDF download uses (`rectify.reports.pdf`).

    python bench/preview_docx.py                  # a sample notice, as users download it
    python bench/preview_docx.py FILE.docx -o out/ --pages 1-3
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def pdf_to_png(pdf: Path, first: int, last: int, dpi: int = 100) -> list[Path]:
    """Pages first..last as PNG files next to the PDF (pdftoppm from poppler-utils)."""
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf), str(prefix)],
        check=True,
    )
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))


def main(argv: list[str] | None = None) -> int:
    from rectify.reports.pdf import PdfUnavailable, to_pdf  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="a .docx or .xlsx; default: a generated sample notice")
    parser.add_argument("-o", "--out", type=Path, default=None, help="output folder (default: a temp folder)")
    parser.add_argument("--pages", default="1-2", help="page range to rasterise, e.g. 1-2")
    parser.add_argument("--dpi", type=int, default=100)
    args = parser.parse_args(argv)

    out = args.out or Path(tempfile.mkdtemp(prefix="rectify-preview-"))
    out.mkdir(parents=True, exist_ok=True)
    source = args.file
    if source is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from docx_bench import sample_content  # noqa: PLC0415  (script-only import)

        from rectify.reports.rendering import render_docx  # noqa: PLC0415

        source = out / "notice.docx"
        source.write_bytes(render_docx(sample_content(measures=24)))
    try:
        pdf = out / f"{source.stem}.pdf"
        pdf.write_bytes(to_pdf(source.read_bytes(), source.suffix))
    except PdfUnavailable as error:
        raise SystemExit(f"{error}: apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui") from error
    first, _, last = args.pages.partition("-")
    pages = pdf_to_png(pdf, int(first), int(last or first), args.dpi)
    print(pdf)
    for page in pages:
        print(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
