"""Shared test fixtures: the read-only data in ../shared, and small corpora built from it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
