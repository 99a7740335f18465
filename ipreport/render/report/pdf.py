"""The Word report converted to PDF by LibreOffice, run headless, with its fonts embedded."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ipreport.errors import OptionError

INSTALL_HINT = (
    "a PDF report needs LibreOffice (soffice), which is not installed: install it (Debian/Ubuntu: "
    "apt-get install libreoffice-writer; Windows/macOS: libreoffice.org), or write the .docx and save it "
    "as PDF from Word or WPS"
)
TIMEOUT_SECONDS = 300
# writer_pdf_Export embeds (subsets of) every font the document uses; PDF/A-free, as offices print it.
_FILTER = 'pdf:writer_pdf_Export:{"EmbedStandardFonts":{"type":"boolean","value":"true"}}'


def office_program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes:
    """The PDF of a .docx given as bytes; OptionError (on --format) saying what to install without
    LibreOffice, or what went wrong with it."""
    office = office_program()
    if office is None:
        raise OptionError("--format", INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="ipreport-pdf-") as scratch:
        folder = Path(scratch)
        source = folder / "report.docx"
        source.write_bytes(data)
        # A profile of its own: a LibreOffice the user has open would otherwise take the job.
        profile = folder / "profile"
        command = [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            _FILTER,
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env={**os.environ, "HOME": str(profile)},
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OptionError(
                "--format", f"LibreOffice could not convert the report to PDF ({exc})"
            ) from None
        result = folder / "report.pdf"
        if not result.is_file():
            raise OptionError(
                "--format", "LibreOffice could not convert the report to PDF (no file came out)"
            )
        return result.read_bytes()
