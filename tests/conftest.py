"""Shared fixtures: the repository layout and the shared/ folder beside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared/ folder (FACTS.md, seeds); tests that need it skip without it, or fail in CI.

    ``ADVISOR_REQUIRE_SHARED=1`` (set by .ci/run) turns the skip into a failure, so that
    CI never passes without the checks against the seeds.
    """
    if not (SHARED / "FACTS.md").is_file():
        message = f"shared/ (FACTS.md and the seeds) is not beside the repository: {SHARED}"
        if os.environ.get("ADVISOR_REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED
