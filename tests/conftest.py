"""Shared test fixtures: the read-only data in ../shared, and small corpora built from it."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from corpus_tool.reading.model import Extracted

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CORPUS_TOOL_SHARED", REPO.parent / "shared"))


def require_shared() -> bool:
    return os.environ.get("CORPUS_TOOL_REQUIRE_SHARED") == "1"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the test when absent, fails when CI requires the data."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"shared test data not found: {path} (set CORPUS_TOOL_SHARED or clone beside ../shared)"
        if require_shared():
            pytest.fail(message)
        pytest.skip(message)
    return path


@functools.cache
def real_pdf(name: str) -> Extracted:
    """A PDF of ../shared/data/pdfs/real extracted once per test session: several test modules read the
    same files (the tests only read what comes back)."""
    from corpus_tool.reading.pdf.extract import extract_pdf

    return extract_pdf(shared_path("data", "pdfs", "real", name))


def require_extra(module: str) -> None:
    """Skip a test of an optional backend that is not installed, unless CI requires extras."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        message = f"optional package {module!r} is not installed"
        if os.environ.get("CORPUS_TOOL_REQUIRE_EXTRAS") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return shared_path("seed", "000_dad38d6db3becc45.txt")
