"""Shared test helpers: the LibreOffice and pdftotext tools the conversion tests need, and Hypothesis's profile."""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import settings

# Property tests check what the code computes, not how fast: Hypothesis's default 200 ms deadline per
# example failed a polars property test once when the 2-core machine was busy (the same example
# passed when rerun). The examples' count stays each test's own.
settings.register_profile("ipreport", deadline=None)
settings.load_profile("ipreport")


def require_soffice() -> str:
    """The soffice command; skips when LibreOffice or pdftotext is missing, fails under IPREPORT_REQUIRE_SOFFICE=1."""
    soffice = shutil.which("soffice")
    pdftotext = shutil.which("pdftotext")
    if soffice and pdftotext:
        return soffice
    missing = "soffice (LibreOffice)" if not soffice else "pdftotext (poppler-utils)"
    if os.environ.get("IPREPORT_REQUIRE_SOFFICE") == "1":
        pytest.fail(f"{missing} is not installed but IPREPORT_REQUIRE_SOFFICE=1 requires this test to run")
    pytest.skip(f"{missing} is not installed; set IPREPORT_REQUIRE_SOFFICE=1 to make this a failure")


@pytest.fixture
def soffice() -> str:
    """The soffice command, or a skip (a failure under IPREPORT_REQUIRE_SOFFICE=1) naming what is missing."""
    return require_soffice()


@pytest.fixture(autouse=True)
def english_interface(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests assert the English messages: a developer's Chinese locale must not change them.

    tests/test_i18n.py sets the locale (and clears this) for each run it makes in Chinese.
    """
    monkeypatch.setenv("IPREPORT_LANG", "en")


@pytest.fixture(autouse=True, scope="session")
def template_code_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled template code is kept in a folder of the test session, not in the developer's ~/.cache."""
    os.environ["IPREPORT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
