"""QA23: ``evaluate`` and ``exercise grade`` as a CI pipeline and an analyst run them, around the batch's
one-pass path (200 files and more read and run in the workers).

- ``exercise grade FOLDER`` rejects, with a line each, the entries of the folder that cannot be read
  (a dangling link, a link loop), as ``evaluate`` does: it skipped them in silence and exited 0.
- The same cases give the same per-case results whether they are read then run (199 files) or read
  and run in one pass (200 and more), and byte-identical JSON whatever ``--jobs``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.evaluate import PARALLEL_FROM, collect, load_and_run, load_cases, run_cases
from advisor.evaluate.workers import forks
from advisor.exercise.grade import grade
from advisor.exercise.pack import load_pack
from advisor.exercise.synthetic import synthetic_class, write_class

import running

LIBRARY = running.ROOT / "cases" / "library"


def _class_with_bad_links(folder: Path) -> None:
    write_class(folder, synthetic_class(load_pack(), 3, seed=4))
    (folder / "dangling.yaml").symlink_to("nowhere.yaml")
    (folder / "loop.yaml").symlink_to("loop.yaml")


def test_grade_rejects_a_dangling_link_and_a_link_loop_in_a_folder(tmp_path: Path) -> None:
    _class_with_bad_links(tmp_path / "class")
    grades = grade([tmp_path / "class"], load_pack())
    assert len(grades.graded) == 3
    assert [(Path(r.file).name, r.message.split(" (")[0]) for r in grades.rejected] == [
        ("dangling.yaml", "a dangling symbolic link"),
        ("loop.yaml", "a symbolic link loop"),
    ]


def test_grade_command_names_the_unreadable_entries_and_exits_2(tmp_path: Path) -> None:
    _class_with_bad_links(tmp_path / "class")
    result = running.in_process("exercise", "grade", tmp_path / "class", "--json")
    assert result.exit_code == 2, result.stderr
    errors = json.loads(result.stdout)["errors"]
    assert [Path(e["file"]).name for e in errors] == ["dangling.yaml", "loop.yaml"]
    assert "dangling symbolic link" in result.stderr and "symbolic link loop" in result.stderr


def test_grade_names_the_entries_of_a_folder_where_nothing_is_readable(tmp_path: Path) -> None:
    # a folder of broken links is not "no submission files": each entry is named, then the folder
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "dangling.yaml").symlink_to("nowhere.yaml")
    (folder / "loop.yaml").symlink_to("loop.yaml")
    result = running.in_process("exercise", "grade", folder)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in lines[:2]] == [
        str(folder / "dangling.yaml"),
        str(folder / "loop.yaml"),
    ]
    assert lines[2] == f"advisor: no readable submission files (*.yaml, *.yml, *.json) in {folder}"
    assert len(lines) == 3


def test_grade_walks_the_folders_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import advisor.exercise.grade as grading

    write_class(tmp_path / "class", synthetic_class(load_pack(), 2, seed=5))
    walked: list[Path] = []
    real = grading.find_case_files

    def counting(path: Path) -> Any:
        walked.append(path)
        return real(path)

    monkeypatch.setattr(grading, "find_case_files", counting)
    result = running.in_process("exercise", "grade", tmp_path / "class", "--json")
    assert result.exit_code == 0, result.stderr
    assert walked == [tmp_path / "class"]


def _without_file(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["case"]: {k: v for k, v in r.items() if k != "file"} for r in results}


def _library_copies(folder: Path, originals: int, copies: int) -> list[str]:
    """Write the library's first cases as files, then ``copies`` of them again under other ids."""
    folder.mkdir()
    sources = sorted(LIBRARY.glob("*.yaml"))[:originals]
    for source in sources:
        shutil.copy(source, folder / source.name)
    for i, source in enumerate(sources[:copies]):
        text = source.read_text(encoding="utf-8").replace(f"id: {source.stem}", f"id: zz-copy-{i:03d}", 1)
        (folder / f"zz-copy-{i:03d}.yaml").write_text(text, encoding="utf-8")
    return collect([folder])[0]


@pytest.mark.slow
@pytest.mark.skipif(not forks(), reason="forked workers (Linux)")
def test_the_same_cases_give_the_same_verdicts_below_and_above_the_one_pass_threshold(tmp_path: Path) -> None:
    few = _library_copies(tmp_path / "few", 150, 0)
    many = _library_copies(tmp_path / "many", 150, 100)
    assert len(few) < PARALLEL_FROM <= len(many)
    read_then_run = load_cases(few)[0]
    alone = dict(zip([c.id for c in read_then_run], run_cases(read_then_run), strict=True))
    for jobs in (1, 2, 3):
        cases, errors, verdicts = load_and_run(many, jobs=jobs)
        assert errors == [] and len(cases) == 250
        together = dict(zip([c.id for c in cases], verdicts, strict=True))
        assert {i: together[i] for i in alone} == alone, jobs
        for i, case in enumerate(c for c in cases if c.id.startswith("zz-copy-")):
            original = next(c for c in cases if c.facts == case.facts and not c.id.startswith("zz-"))
            assert together[case.id] == together[original.id], i


@pytest.mark.slow
@pytest.mark.skipif(not forks() or len(os.sched_getaffinity(0)) < 2, reason="two CPUs, forked workers")
def test_evaluate_json_is_byte_identical_across_jobs_and_the_threshold(tmp_path: Path) -> None:
    """199, 200 and 201 files of the library, with a file of many cases and an id given twice among
    them: the same JSON with --jobs 1 and 2, and the same results for the cases all three hold."""
    outputs: dict[int, dict[str, Any]] = {}
    cases = sorted(LIBRARY.glob("*.yaml"))
    many = [{**yaml.safe_load(p.read_text()), "id": f"many-{i}"} for i, p in enumerate(cases[300:340])]
    for count in (199, 200, 201):
        folder = tmp_path / str(count)
        folder.mkdir()
        for source in cases[: count - 2]:
            shutil.copy(source, folder / source.name)
        (folder / "zz-many.yaml").write_text(yaml.safe_dump(many))
        shutil.copy(cases[0], folder / "zz-twice.yaml")  # the id of the first file: an error only
        one, two = (running.advisor("evaluate", folder, "--json", "--jobs", j) for j in ("1", "2"))
        assert one.returncode == two.returncode == 2, one.stderr
        assert (one.stdout, one.stderr) == (two.stdout, two.stderr)
        outputs[count] = json.loads(one.stdout)
        assert len(outputs[count]["results"]) == count - 2 + 40
    first = _without_file(outputs[199]["results"])
    for count in (200, 201):
        results = _without_file(outputs[count]["results"])
        assert {i: results[i] for i in first} == first
