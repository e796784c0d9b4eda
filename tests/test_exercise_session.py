"""A student's whole exercise in a pseudo-terminal: brief, coding, prediction, submission, feedback.

These drive the real program with pexpect and take several seconds each, so they
are marked ``slow``: ``uv run pytest -m slow`` runs them (``.ci/run`` does).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import __version__
from advisor.exercise.submission import read_submission, rules_digest
from advisor.facts import FACT_NAMES

from running import Terminal

pytestmark = pytest.mark.slow


def start(cwd: Path, *args: str) -> Terminal:
    """Start the real ``advisor exercise start ARGS`` in a pseudo-terminal, 100 columns wide."""
    return Terminal(cwd, "exercise", "start", *args, columns=100, timeout=60)


def test_a_whole_exercise_from_the_brief_to_the_feedback(tmp_path: Path) -> None:
    student = start(tmp_path, "us-japan-1960", "--student", "Ada Example")
    student.child.expect("Your task")
    student.menu("Question 1 ", "?why")  # why is this asked?
    student.child.expect("Why this is asked")
    student.menu("", "1")  # security
    student.menu("Question 2 ", "1")
    student.menu("Question 3 ", "?unknown")  # threat_level: unknown
    answered = student.answer_until("Are these answers right")
    assert answered == 10  # all thirteen facts are asked: none is skipped as irrelevant
    student.menu("", "yes")
    student.menu("What tie do you predict", "1")  # alliance
    before_prediction = student.screen
    student.child.expect("Your rationale")
    student.child.sendline("A shared named threat and a weak partner who cannot stand alone.")
    student.child.expect("Submitted: ")
    student.child.expect("For discussion")
    assert student.finish() == 0
    # nothing hinted at the advice before the student predicted
    for hint in ("The advisor, from", "recommendation is settled", "Score ", "would by itself"):
        assert hint not in before_prediction
    screen = student.screen
    assert "Feedback: Revising the security bargain" in screen
    assert "Your prediction Alliance" in screen and "What actually happened Alliance" in screen
    assert "Your threat level unknown (the reference reads high)" in screen
    path = tmp_path / "us-japan-1960--ada-example.yaml"
    submission = read_submission(path)
    assert submission.student == "Ada Example" and submission.prediction == "alliance"
    assert submission.facts["threat_level"] is None and submission.facts["issue_scope"] == "security"
    assert submission.advisor_version == __version__ and submission.rules_digest == rules_digest()
    assert submission.pack == "course" and submission.submitted
    assert set(submission.facts) == set(FACT_NAMES)  # a pair is never asked standing_commitment
    assert not list(tmp_path.glob("*.draft.yaml")) and not list(tmp_path.glob(".*.tmp"))


def test_ctrl_c_keeps_the_answers_and_resume_finishes_the_exercise(tmp_path: Path) -> None:
    student = start(tmp_path, "cepi-2017", "--student", "Bo", "--no-pager")
    student.menu("Question 1 ", "1")
    student.menu("Question 2 ", "1")
    student.child.expect("Question 3 ")
    student.key("\x03")  # Ctrl-C
    student.child.expect("Continue with: ")
    assert student.finish() == 130
    draft = tmp_path / "cepi-2017--bo.draft.yaml"
    assert draft.is_file()
    assert "issue_scope" in draft.read_text() and "nonstate_actors_essential" in draft.read_text()

    again = start(tmp_path, "cepi-2017", "--student", "Bo", "--no-pager", "--resume", str(draft))
    answered = again.answer_until("Are these answers right")
    assert answered == 13  # the two answers kept are not asked again; a group is asked both optional facts
    again.menu("", "yes")
    again.menu("What tie do you predict", "6")  # coalition
    again.child.expect("Your rationale")
    again.child.sendline("")
    again.child.expect("For discussion")
    assert again.finish() == 0
    submission = read_submission(tmp_path / "cepi-2017--bo.yaml")
    assert submission.prediction == "coalition" and submission.rationale == ""
    assert set(submission.facts) == {*FACT_NAMES, "standing_commitment", "standing_forum"}
    assert not draft.exists()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="Chromium (Debian's chromium package) is not installed")
def test_the_html_report_renders_offline_in_headless_chromium(tmp_path: Path) -> None:
    """Chromium, with the network off, loads the report and lays out both charts."""
    import subprocess

    from advisor.exercise.grade import grade
    from advisor.exercise.pack import load_pack
    from advisor.exercise.synthetic import synthetic_class, write_class
    from advisor.render.class_report import html

    pack = load_pack()
    write_class(tmp_path / "class", synthetic_class(pack, 30, seed=3))
    page = tmp_path / "report.html"
    page.write_text(html(grade([tmp_path / "class"], pack)), encoding="utf-8")
    common = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9"]
    dom = subprocess.run(
        [*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert dom.count("<svg") == 2 and dom.count("<rect") > 30
    shot = tmp_path / "shot.png"
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri()], timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000
