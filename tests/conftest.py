"""Shared fixtures: the repository layout and the shared/ folder beside it."""

from __future__ import annotations

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
    """The shared/ folder (FACTS.md, seeds); tests that need it skip without it."""
    if not (SHARED / "FACTS.md").is_file():
        pytest.skip("shared/ is not beside the repository")
    return SHARED
