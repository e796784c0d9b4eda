"""Shared fixtures: the repository, the shared/ folder beside it, a clean working tree, hypothesis budgets.

Hypothesis runs under the ``dev`` profile by default: every property tries at most
``DEV_EXAMPLES`` inputs, so that a developer's ``pytest`` stays quick. Under
``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``), and in a ``pytest -m slow`` run, each
property gets its full budget (the number given to ``running.examples``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import running
from running import DEV_EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

settings.register_profile(
    "dev", max_examples=DEV_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# What may appear in the repository's root or the current folder while the tests run: caches.
CACHES = {".hypothesis", ".pytest_cache", "__pycache__", ".mypy_cache", ".ruff_cache"}


def pytest_configure(config: pytest.Config) -> None:
    """Give every property its full budget in a run that selects the slow tests (-m slow)."""
    if "slow" in (config.option.markexpr or "").replace("not slow", ""):
        running.FULL = True
        settings.load_profile("ci")


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


@pytest.fixture(autouse=True)
def leaves_no_files_behind() -> Iterator[None]:
    """Fail a test that leaves a new file in the repository's root or the current folder.

    Tests write into ``tmp_path`` (and ``monkeypatch.chdir(tmp_path)`` before anything that
    writes into the current folder, such as a consultation saving its resume file).
    """
    folders = {ROOT, Path.cwd()}
    before = {folder: set(os.listdir(folder)) for folder in folders}
    yield
    for folder in folders:
        left = sorted(set(os.listdir(folder)) - before[folder] - CACHES)
        assert not left, f"the test left {left} in {folder}; write into tmp_path instead"
