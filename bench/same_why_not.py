"""Check that a change of the why-not search leaves every answer untouched: this checkout against another.

    git worktree add --detach ../advisor-main main && (cd ../advisor-main && python -m uv sync --locked)
    python -m uv run python bench/same_why_not.py ../advisor-main            # everything (slow on main)
    python -m uv run python bench/same_why_not.py ../advisor-main --quick    # a tenth of the cases
    python -m uv run python bench/same_why_not.py ../advisor-main --keep /tmp/why-not  # reuse its answers

Both checkouts (each with its own ``.venv``) answer, for every case of ``cases/library`` and
``cases/second`` and for variants with contested or unknown facts (30 library cases with 1-3 facts
made so, and 10 with 4-6 facts unknown, which take the readings path and its pruning; a fixed seed),
every ``--why-not`` target as ``advisor explain`` does from a cold start (``explain.forget``): the
JSON without the precedents, and the why-not text as rendered. The brief (Markdown) of every case is
compared whole, its why-not section included. A few real ``advisor explain FILE --why-not T [--json]``
and ``advisor report FILE -o -`` runs are compared too. Outputs must be equal byte for byte; the
first difference is named. The briefs' precedents come from each checkout's own case library:
compare against the commit this one started from, not a later one. With ``--keep DIR`` the other
checkout's answers are kept there, by its commit and this script, and reused (its worktree must
then be clean). Not a timing: see ``bench_explain.py``.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 2026

_DUMP = """
import io, json, sys
from pathlib import Path
from rich.console import Console
from advisor.brief import markdown
from advisor.cases import iter_case_files, load_file
from advisor.engine import get_engine
from advisor.explain import explanation, forget
from advisor.outcomes import OUTCOME_IDS
from advisor.output import json_text
from advisor.render.explain import why_not_view

engine = get_engine()
out = open(sys.argv[1], "w")
start, step = int(sys.argv[2]), int(sys.argv[3])
for folder in sys.argv[4:]:
    files = sorted(iter_case_files(Path(folder)))[start::step]
    for path in files:
        where = Path(folder).name + "/" + path.name
        for loaded in load_file(path)[0]:
            case = loaded.case
            for target in OUTCOME_IDS:
                forget(engine)
                explained = explanation(case, engine=engine, why_not=target)
                text = io.StringIO()
                Console(file=text, width=110, color_system=None).print(
                    why_not_view(explained.why_not, explained.recommendation)
                )
                row = [where, case.id, target, json_text(explained.to_dict()), text.getvalue()]
                out.write(json.dumps(row) + "\\n")
            forget(engine)
            out.write(json.dumps([where, case.id, "brief", markdown(case, engine=engine)]) + "\\n")
out.close()
"""


def _python(checkout: Path) -> str:
    """Return the Python of a checkout's environment (``uv sync`` makes it)."""
    python = checkout / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{checkout}: no .venv: run 'python -m uv sync --locked' there first")
    return str(python)


def write_variants(folder: Path) -> None:
    """Write library cases with facts made contested or unknown (a fixed seed) into ``folder``."""
    from advisor.facts import DERIVED_FACTS, scales

    rng = random.Random(SEED)
    files = sorted((ROOT / "cases" / "library").glob("*.yaml"))
    table = scales()
    for number, path in enumerate(rng.sample(files, 40)):
        data = yaml.safe_load(path.read_text())
        facts = data["facts"]
        names = [n for n in facts if n not in DERIVED_FACTS and n in table]
        many = number >= 30  # the last ten: 4-6 facts unknown, many readings (pruned in three values)
        for name in rng.sample(names, rng.randint(4, 6) if many else rng.randint(1, 3)):
            values = list(table[name].values)
            if many or rng.random() < 0.4:
                facts[name] = "unknown"
            else:
                facts[name] = rng.sample(values, 2 if len(values) == 2 else rng.randint(2, len(values) - 1))
        data["id"] = f"{data['id']}-variant-{number}"
        (folder / f"variant-{number:02d}-{path.name}").write_text(yaml.safe_dump(data, sort_keys=False))


def _dump(checkout: Path, into: Path, step: int, folders: list[str], jobs: int) -> None:
    """Dump every answer of a checkout into a file (JSON lines), in ``jobs`` processes."""
    parts = [into.with_suffix(f".{job}") for job in range(jobs)]
    running = [
        subprocess.Popen(
            [_python(checkout), "-c", _DUMP, str(part), str(job * step), str(jobs * step), *folders],
            cwd=checkout,
        )
        for job, part in enumerate(parts)
    ]
    if any(process.wait() for process in running):
        raise SystemExit(f"{checkout}: a dump failed (see above)")
    into.write_text("".join(part.read_text() for part in parts))


def _rows(dump: Path) -> dict[tuple[str, str, str], str]:
    """Return a dump's rows by (folder/file, case, target or 'brief')."""
    found = {}
    for line in dump.read_text().splitlines():
        row = json.loads(line)
        found[row[0], row[1], row[2]] = line
    return found


def _cli(checkout: Path, *arguments: str) -> bytes:
    """Return the standard output of the advisor's command line run in a checkout (plain text)."""
    env = {"NO_COLOR": "1", "COLUMNS": "110", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    done = subprocess.run(
        [_python(checkout), "-m", "advisor", *arguments], cwd=checkout, capture_output=True, env=env
    )
    return done.stdout + f"\nexit {done.returncode}\n".encode()


def _compare(mine: Path, theirs: Path) -> tuple[int, str | None]:
    """Return how many rows two dumps hold and the first that differs (None if all are equal)."""
    ours, other = _rows(mine), _rows(theirs)
    for key in sorted(ours.keys() | other.keys()):
        if ours.get(key) != other.get(key):
            return len(ours), "DIFFERENT: " + " ".join(key)
    return len(ours), None


def _kept(other: Path, keep: Path | None, step: int) -> Path | None:
    """Return where the other checkout's answers are kept (by its commit and this script), if asked."""
    if keep is None:
        return None
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=other, capture_output=True, text=True).stdout
    key = hashlib.sha256(f"{commit.strip()} {step} {SEED}".encode() + _DUMP.encode()).hexdigest()[:16]
    keep.mkdir(parents=True, exist_ok=True)
    return keep / f"answers-{key}.jsonl"


def compare_command_line(other: Path, variants: Path) -> int:
    """Compare real runs of ``advisor report`` and ``advisor explain --why-not`` (JSON for every target,
    text for two) on a few cases and variants; return 1 if any differs."""
    from advisor.outcomes import OUTCOME_IDS

    library = sorted((ROOT / "cases" / "library").glob("a*.yaml"))
    failed, runs = 0, 0
    for path in [*library[:2], *sorted(variants.iterdir())[::13]]:
        commands = [["report", str(path), "-o", "-"]]
        commands += [["explain", str(path), "--why-not", target, "--json"] for target in OUTCOME_IDS]
        commands += [["explain", str(path), "--why-not", target] for target in OUTCOME_IDS[::3]]
        for arguments in commands:
            runs += 1
            if _cli(ROOT, *arguments) != _cli(other, *arguments):
                failed = 1
                print(f"command line DIFFERENT: advisor {' '.join(arguments)}")
    print(f"command line: {runs} runs compared{'' if failed else ', identical'}")
    return failed


def main(other: Path, quick: bool, keep: Path | None = None, jobs: int = 2) -> int:
    """Compare the answers of this checkout and ``other``; return the exit status (0: all equal)."""
    sys.path.insert(0, str(ROOT))
    failed = 0
    with tempfile.TemporaryDirectory(prefix="advisor-why-not-") as tmp:
        variants = Path(tmp) / "variants"
        variants.mkdir()
        write_variants(variants)
        folders = [str(ROOT / "cases" / "library"), str(ROOT / "cases" / "second"), str(variants)]
        step = 10 if quick else 1
        dumps = {checkout: Path(tmp) / f"dump-{i}.jsonl" for i, checkout in enumerate((ROOT, other))}
        kept = _kept(other, keep, step)
        if kept is not None and kept.exists():
            dumps[other] = kept
        for checkout, into in dumps.items():
            if into != kept:
                _dump(checkout, into, step, folders, jobs)
        if kept is not None and not kept.exists():
            kept.write_bytes(dumps[other].read_bytes())
        rows, difference = _compare(dumps[ROOT], dumps[other])
        failed |= difference is not None
        print(f"why-not JSON and text, briefs: {rows} rows, {difference or 'identical'}")
        failed |= compare_command_line(other, variants)
    return failed


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    flags = sys.argv[2:]
    keep = Path(flags[flags.index("--keep") + 1]) if "--keep" in flags else None
    jobs = int(flags[flags.index("--jobs") + 1]) if "--jobs" in flags else 2
    sys.exit(main(Path(sys.argv[1]).resolve(), "--quick" in flags, keep, jobs))
