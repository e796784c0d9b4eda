"""The ``advisor ask`` command's checks of a resume file: no silent overwrite, the knowledge base compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.ask.resume import read_resume, save_resume
from advisor.ask.session import Session
from advisor.rulebase import digest

from running import Terminal

ROOT = Path(__file__).resolve().parent.parent


def test_a_resume_file_records_the_knowledge_base_it_was_written_under(tmp_path: Path) -> None:
    session = Session(parties=["A", "B"], rules=digest())
    save_resume(session, tmp_path / "r.yaml")
    assert read_resume(tmp_path / "r.yaml").rules == digest() == digest(ROOT / "rules")
    assert digest().startswith("sha256:") and len(digest()) == len("sha256:") + 16


def test_another_knowledge_base_has_another_digest(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    for source in (ROOT / "rules").glob("*.yaml"):
        (rules / source.name).write_bytes(source.read_bytes() + b"\n# edited\n")
    assert digest(rules) != digest()


@pytest.mark.slow  # a whole process; the default run keeps faster tests of the same area
def test_a_directory_given_as_a_resume_file_is_named_as_one(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "ask", "--resume", str(tmp_path))
    assert term.finish() == 2
    assert f"advisor: {tmp_path}: is a directory, not a resume file" in term.child.before


@pytest.mark.slow
def test_a_resume_file_neither_overwrites_in_silence_nor_hides_a_rules_change(tmp_path: Path) -> None:
    precious = tmp_path / "precious.yaml"
    precious.write_text("keep me\n")
    resume = tmp_path / "r.yaml"
    resume.write_text(
        f"format: advisor-ask-resume/1\nparties: [A, B]\nsave: {precious}\nrules: 'sha256:0000000000000000'\n"
    )
    child = Terminal(tmp_path, "ask", "--resume", str(resume)).child
    child.expect("was written under another knowledge base")
    child.expect(r"which exists\. Overwrite it at the end\? \(y/N\)")
    child.sendline("n")
    child.expect("will not be overwritten; save the case file from the result menu")
    child.terminate(force=True)
    assert precious.read_text() == "keep me\n"
