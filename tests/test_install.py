"""Slow install checks: the advisor works when installed the two supported ways.

For each of Python 3.11, 3.12 and 3.13:

* plain pip: ``pip install <repo>`` into a fresh virtual environment. pip cannot
  override experta's ``frozendict==1.2`` pin, so this proves the shim in
  ``advisor/_experta.py`` carries the installed package.
* uv: ``uv sync --locked`` / ``uv run --locked`` for that Python into a throwaway
  project environment, which is what the README's commands do; there uv's
  override gives a modern frozendict.

Run with ``python -m uv run pytest -m install`` (``.ci/run`` does). An
interpreter that cannot be found is skipped, or is a failure when
``ADVISOR_REQUIRE_PYTHONS=1`` (as in CI). pip runs with the machine's pip config
files and index settings ignored, so it installs from PyPI like a fresh machine.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[1]
PYTHONS = ("3.11", "3.12", "3.13")
OUTCOME_IDS = {"alliance", "partnership", "strategic", "comprehensive", "coordination", "coalition"}
ADVISE_KEYS = {"case", "recommendation", "label", "deciding_rule", "cautions", "trace"}
PROJECT_VERSION: str = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]

INSTALL_TIMEOUT = 900  # seconds; a cold pip install takes ~10-15 s
RUN_TIMEOUT = 120


# --- helpers -------------------------------------------------------------------------------


def _tail(text: str, limit: int = 6000) -> str:
    return text if len(text) <= limit else "...\n" + text[-limit:]


def run(
    cmd: Sequence[str | Path],
    *,
    env: dict[str, str],
    cwd: Path,
    timeout: int = RUN_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run a command with no stdin; assert it exits 0, showing its output if not.

    ``cwd`` is required: ``python -c`` run from the repository would import the
    source tree instead of the installed copy.
    """
    args = [str(c) for c in cmd]
    try:
        proc = subprocess.run(
            args,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"timed out after {timeout}s: {' '.join(args)}\n{exc}")
    assert proc.returncode == 0, (
        f"exit {proc.returncode}: {' '.join(args)}\n"
        f"--- stdout ---\n{_tail(proc.stdout)}\n--- stderr ---\n{_tail(proc.stderr)}"
    )
    return proc


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment minus anything that would leak the test's own venv or pip setup."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "UV_PROJECT_ENVIRONMENT"}
        and not k.startswith("UV_INTERNAL__")
        # Index and find-links settings would let pip install from local caches.
        and not (k.startswith("PIP_") and k not in {"PIP_CERT", "PIP_DEFAULT_TIMEOUT"})
    }
    env.update(
        PIP_CONFIG_FILE=os.devnull,  # ignore /etc/pip.conf and user config
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        UV_PYTHON_DOWNLOADS="never",
        NO_COLOR="1",
        COLUMNS="120",
    )
    env.update(extra)
    return env


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in path.parts[-3].split("."))


def find_python(version: str) -> str | None:
    """Locate a working interpreter for ``version`` (pyenv install first, then PATH)."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    pyenv = [
        p
        for p in pyenv_root.glob(f"versions/{version}.*/bin/python{version}")
        if re.fullmatch(rf"{re.escape(version)}\.\d+", p.parts[-3])
    ]
    candidates = [str(p) for p in sorted(pyenv, key=_version_key, reverse=True)]
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        # A pyenv shim exists for every installed version but only runs the active one,
        # so ask each candidate what it is.
        try:
            proc = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if proc.returncode == 0 and proc.stdout.strip() == version:
            return candidate
    return None


def uv_command() -> list[str]:
    """How to call uv: the one running us (``uv run`` sets $UV), else the uv module or binary."""
    if os.environ.get("UV"):
        return [os.environ["UV"]]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    if shutil.which("uv"):
        return ["uv"]
    pytest.fail("uv not found: run these checks with `python -m uv run pytest -m install`")


def example_case() -> Path:
    cases = sorted((ROOT / "cases" / "library").glob("*.yaml"))
    assert cases, f"no example cases in {ROOT / 'cases' / 'library'}"
    return cases[0]


def check_advise_output(proc: subprocess.CompletedProcess[str]) -> None:
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        pytest.fail(f"advise --json did not print JSON ({exc}):\n{_tail(proc.stdout)}")
    assert isinstance(report, dict), report
    missing = ADVISE_KEYS - report.keys()
    assert not missing, f"advise --json output lacks {sorted(missing)}: {report}"
    assert report["recommendation"] in OUTCOME_IDS, report


def version_at_least(version: str, minimum: tuple[int, ...]) -> bool:
    parts = tuple(int(p) for p in re.findall(r"\d+", version)[: len(minimum)])
    return parts >= minimum


VERSIONS_CODE = (
    "import importlib.metadata as m, json; "
    "print(json.dumps({d: m.version(d) for d in "
    "('alignment-advisor', 'experta', 'frozendict', 'schema')}))"
)


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=PYTHONS)
def python(request: pytest.FixtureRequest) -> str:
    """Path of an interpreter for the requested Python version."""
    version: str = request.param
    found = find_python(version)
    if found is None:
        reason = f"Python {version} not found (no pyenv version, no python{version} on PATH)"
        if os.environ.get("ADVISOR_REQUIRE_PYTHONS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def pip_venv(python: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv for ``python`` with a plain (non-editable) ``pip install <repo>``."""
    venv = tmp_path_factory.mktemp("pip") / "venv"
    env = clean_env()
    run([python, "-m", "venv", venv], env=env, cwd=venv.parent)
    run(
        [venv / "bin" / "python", "-m", "pip", "install", ROOT],
        env=env,
        cwd=venv.parent,
        timeout=INSTALL_TIMEOUT,
    )
    return venv


@pytest.fixture(scope="module")
def uv_env(python: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment variables under which ``uv run --locked`` uses a fresh env for ``python``."""
    project_env = tmp_path_factory.mktemp("uv") / "venv"
    env = clean_env(UV_PROJECT_ENVIRONMENT=str(project_env))
    run(
        [*uv_command(), "sync", "--locked", "--project", ROOT, "--python", python],
        env=env,
        cwd=project_env.parent,
        timeout=INSTALL_TIMEOUT,
    )
    return env


def uv_run(python: str, env: dict[str, str], *cmd: str | Path) -> subprocess.CompletedProcess[str]:
    project_env = Path(env["UV_PROJECT_ENVIRONMENT"])
    return run(
        [*uv_command(), "run", "--locked", "--project", ROOT, "--python", python, *cmd],
        env=env,
        cwd=project_env.parent,
    )


# --- plain pip -----------------------------------------------------------------------------


def test_pip_installs_pinned_frozendict_and_shim_is_needed(pip_venv: Path) -> None:
    py = pip_venv / "bin" / "python"
    versions = json.loads(run([py, "-c", VERSIONS_CODE], env=clean_env(), cwd=pip_venv).stdout)
    assert versions["frozendict"] == "1.2", versions
    assert versions["alignment-advisor"] == PROJECT_VERSION, versions
    # On its own the pinned frozendict does not import on this Python ...
    bare = subprocess.run(
        [str(py), "-c", "import frozendict"],
        env=clean_env(),
        cwd=pip_venv,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert bare.returncode != 0 and "collections" in bare.stderr, (bare.returncode, bare.stderr)
    # ... and through the advisor's shim experta works.
    run(
        [py, "-c", "from advisor._experta import KnowledgeEngine, Fact, Rule"],
        env=clean_env(),
        cwd=pip_venv,
    )


def test_pip_installed_copy_and_its_knowledge_base(pip_venv: Path, tmp_path: Path) -> None:
    code = (
        "import json, advisor, sys; "
        "from advisor.rulebase import default_directory, load_knowledge_base; "
        "print(json.dumps({'python': '%d.%d' % sys.version_info[:2], "
        "'module': advisor.__file__, 'rules_dir': str(default_directory()), "
        "'rules': len(load_knowledge_base().rules)}))"
    )
    # cwd outside the repository, so only the installed copy can be imported.
    proc = run([pip_venv / "bin" / "python", "-c", code], env=clean_env(), cwd=tmp_path)
    info = json.loads(proc.stdout)
    venv = pip_venv.resolve()
    assert Path(info["module"]).resolve().is_relative_to(venv), info
    rules_dir = Path(info["rules_dir"]).resolve()
    assert rules_dir.is_relative_to(venv) and rules_dir.name == "_rules", info
    assert info["rules"] > 0, info
    shipped = {p.name for p in (ROOT / "rules").glob("*.yaml")}
    installed = {p.name for p in rules_dir.glob("*.yaml")}
    assert shipped and shipped <= installed, (shipped, installed)


def test_pip_installed_copy_carries_the_case_library_for_precedents(pip_venv: Path, tmp_path: Path) -> None:
    code = (
        "import json; from advisor.library import default_library_directory, load_library; "
        "print(json.dumps({'dir': str(default_library_directory()), 'cases': len(load_library())}))"
    )
    proc = run([pip_venv / "bin" / "python", "-c", code], env=clean_env(), cwd=tmp_path)
    info = json.loads(proc.stdout)
    library = Path(info["dir"]).resolve()
    assert library.is_relative_to(pip_venv.resolve()) and library.name == "_cases", info
    assert info["cases"] == len(list((ROOT / "cases" / "library").glob("*.yaml"))), info


def test_pip_console_script(pip_venv: Path, tmp_path: Path) -> None:
    advisor = pip_venv / "bin" / "advisor"
    version = run([advisor, "--version"], env=clean_env(), cwd=tmp_path)
    assert PROJECT_VERSION in version.stdout, version.stdout
    advice = run([advisor, "advise", example_case(), "--json"], env=clean_env(), cwd=tmp_path)
    check_advise_output(advice)


# --- uv (the README's way) -----------------------------------------------------------------


def test_uv_overrides_frozendict_pin(uv_env: dict[str, str], python: str) -> None:
    versions = json.loads(uv_run(python, uv_env, "python", "-c", VERSIONS_CODE).stdout)
    assert version_at_least(versions["frozendict"], (2, 4)), versions
    assert version_at_least(versions["schema"], (0, 7)), versions
    uv_run(python, uv_env, "python", "-c", "import frozendict, experta")


def test_uv_console_script(uv_env: dict[str, str], python: str) -> None:
    version = uv_run(python, uv_env, "advisor", "--version")
    assert PROJECT_VERSION in version.stdout, version.stdout
    check_advise_output(uv_run(python, uv_env, "advisor", "advise", example_case(), "--json"))


def test_uv_env_is_for_requested_python(uv_env: dict[str, str], python: str) -> None:
    wanted = run([python, "-c", "import sys; print(sys.version)"], env=clean_env(), cwd=ROOT).stdout
    got = uv_run(python, uv_env, "python", "-c", "import sys; print(sys.version)").stdout
    assert got == wanted
