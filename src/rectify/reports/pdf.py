"""PDF from a generated .docx or .xlsx, through LibreOffice headless (offices file and print PDFs).

LibreOffice runs with the project's font aliases (`fonts/fonts.conf`: 方正小标宋简体, 仿宋_GB2312,
黑体, 楷体_GB2312 onto Noto CJK), a throw-away profile (so a running LibreOffice or a stale lock
never blocks it) and a time limit. No Django here: the CLI, the web download and the tests call it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
TIMEOUT_SECONDS = 180


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (`missing`), or could not convert the file.

    The caller tells the user in Chinese (`reports.services.pdf_message`)."""

    def __init__(self, message: str, *, missing: bool) -> None:
        super().__init__(message)
        self.missing = missing


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_env() -> dict[str, str]:
    """The environment LibreOffice runs in: the project's font aliases on top of the system's."""
    return dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))


def to_pdf(data: bytes, suffix: str) -> bytes:
    """`data` (a .docx or .xlsx, by `suffix`) converted to PDF."""
    program = soffice()
    if program is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed", missing=True)
    with tempfile.TemporaryDirectory(prefix="rectify-pdf-") as folder:
        work = Path(folder)
        source = work / f"document.{suffix.lstrip('.')}"
        source.write_bytes(data)
        try:
            subprocess.run(
                [program, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", str(work), str(source)],
                check=True, env=libreoffice_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=TIMEOUT_SECONDS,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailable(f"LibreOffice could not convert the file: {error}", missing=False) from error
        target = work / "document.pdf"
        if not target.exists():
            raise PdfUnavailable("LibreOffice wrote no PDF", missing=False)
        return target.read_bytes()
