"""QA24: the instructor's side (``exercise list``, ``export``, ``feedback``, the pack format) and the
knowledge engineer's (``rules list``, ``show``, ``check``), with the mistakes real people make.

Each test failed on the code before the fix it pins (the defect list is in CHANGELOG.md, QA24).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.exercise import students
from advisor.exercise.feedback import feedback, sentence
from advisor.exercise.model import PackError
from advisor.exercise.pack import load_pack
from advisor.exercise.students import export_for_students
from advisor.exercise.submission import read_submission
from advisor.rulebase import check_knowledge_base, load_knowledge_base

from running import ROOT, in_process

PACK_DIR = ROOT / "exercises" / "course"
ADA = ROOT / "exercises" / "examples" / "us-india-2005--ada-example.yaml"
RULES = ROOT / "rules"


def a_pack(tmp_path: Path, change: Any = None, name: str = "us-japan-1960.yaml", head: str = "") -> Path:
    """A pack of two scenarios of the course pack, one of them (``name``) changed as data."""
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.yaml").write_text((PACK_DIR / "pack.yaml").read_text(encoding="utf-8") + head)
    for copied in ("us-japan-1960.yaml", "nato-1949.yaml"):
        shutil.copy(PACK_DIR / copied, folder / copied)
    if change is not None:
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        change(data)
        (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    return caught.value.problems


# --- exercise export -----------------------------------------------------------------------------


def test_export_to_a_folder_that_cannot_be_made_is_one_line_not_an_internal_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    for target in (tmp_path / "a-file" / "students", Path("/proc/no-such-folder/students")):
        result = in_process("exercise", "export", PACK_DIR, target, "--for-students")
        assert result.exit_code == 2, result.stderr
        assert "internal error" not in result.stderr and len(result.stderr.splitlines()) == 1
        assert str(target) in result.stderr


@pytest.mark.parametrize("existing", [False, True])
def test_an_interrupted_export_leaves_no_half_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    """A students' copy with scenarios missing would load, and be handed out, as a valid pack."""
    target = tmp_path / "students"
    if existing:
        target.mkdir()
    written: list[Path] = []

    def interrupted(path: Path, text: str) -> None:
        if len(written) == 4:
            raise KeyboardInterrupt
        path.write_text(text, encoding="utf-8")
        written.append(path)

    monkeypatch.setattr(students, "write_atomically", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_for_students(load_pack(), target)
    assert (list(target.iterdir()) == []) if existing else not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["students"] if existing else [])


def test_export_into_an_empty_folder_writes_a_whole_pack_students_can_use(tmp_path: Path) -> None:
    (tmp_path / "students").mkdir()
    result = in_process("exercise", "export", PACK_DIR, tmp_path / "students", "--for-students")
    assert result.exit_code == 0, result.stderr
    copy = load_pack(tmp_path / "students")
    assert copy.for_students and list(copy.scenarios) == list(load_pack().scenarios)
    assert [p.name for p in tmp_path.iterdir()] == ["students"]  # no temporary folder left


@pytest.mark.parametrize("key", ["questions", "sources"])
def test_a_students_copy_holding_questions_or_sources_is_refused(tmp_path: Path, key: str) -> None:
    """The docs leave both out of a students' copy because they give answers away ("What would it take
    for this partnership to become an alliance?", a "Mutual Defense Treaty" link)."""
    export_for_students(load_pack(), tmp_path / "s")
    path = tmp_path / "s" / "us-japan-1960.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[key] = yaml.safe_load((PACK_DIR / "us-japan-1960.yaml").read_text(encoding="utf-8"))[key]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = problems_of(tmp_path / "s")
    assert any(f"{key}: a students' copy of a pack must not hold it" in p for p in found), found


# --- the pack format -----------------------------------------------------------------------------


def test_an_infinite_rubric_weight_is_refused_rather_than_scoring_nan(tmp_path: Path) -> None:
    folder = a_pack(tmp_path)
    text = (folder / "pack.yaml").read_text().replace("facts_that_matter: 50 ", "facts_that_matter: .inf ")
    (folder / "pack.yaml").write_text(text)
    found = problems_of(folder)
    assert any("rubric.facts_that_matter: input should be a finite number" in p for p in found), found


@pytest.mark.parametrize(
    ("parties", "said"),
    [
        (["United States", "Japan", " japan"], "' japan' is named twice"),
        (["United States", " "], "a party's name is blank"),
    ],
)
def test_a_scenario_names_each_party_once_as_a_case_file_does(
    tmp_path: Path, parties: list[str], said: str
) -> None:
    """Three names of two parties made the pair a group, and changed the reference advice."""
    folder = a_pack(tmp_path, lambda d: d.update(parties=parties))
    found = problems_of(folder)
    assert any("us-japan-1960.yaml: line " in p and f"parties: {said}" in p for p in found), found


def test_a_scenario_with_a_missing_field_still_has_its_reference_checked(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        del data["year"]
        data["reference"]["threat_level"]["value"] = "hihg"

    found = problems_of(a_pack(tmp_path, change))
    assert any("year: missing" in p for p in found), found
    assert any("reference.threat_level.value: 'hihg' is not one of" in p for p in found), found


def test_a_misspelt_or_derived_fact_in_a_reference_is_named_for_what_it_is(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["reference"]["rivals_ties"] = data["reference"].pop("rival_ties")
        data["reference"]["grouping"] = {"value": False, "why": "two parties"}

    found = problems_of(a_pack(tmp_path, change))
    assert any(
        "reference.rivals_ties: unknown fact; did you mean rival_ties? (rival_ties is missing)" in p
        for p in found
    )
    assert not any("reference: missing rival_ties" in p for p in found), found  # one problem, not two
    assert any("reference.grouping: is read off the scenario's parties" in p for p in found), found


def test_an_unquoted_version_is_quoted_back_as_it_was_typed(tmp_path: Path) -> None:
    folder = a_pack(tmp_path)
    text = (folder / "pack.yaml").read_text().replace('version: "2026.3"', "version: 2026.10")
    (folder / "pack.yaml").write_text(text)
    (found,) = problems_of(folder)
    assert 'write the version in quotes, "2026.10"' in found and '"2026.1"' not in found


def test_a_pack_yaml_that_is_a_folder_is_not_said_to_be_missing(tmp_path: Path) -> None:
    folder = a_pack(tmp_path)
    (folder / "pack.yaml").unlink()
    (folder / "pack.yaml").mkdir()
    assert problems_of(folder) == [f"{folder / 'pack.yaml'}: not a regular file (a directory)"]
    assert problems_of(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: no such folder"]


def test_a_packs_problems_come_in_file_order_escaped_then_a_count(tmp_path: Path) -> None:
    folder = a_pack(tmp_path, lambda d: d.update({"colour\x1b[2J": "blue", "actual": "aliance"}))
    (folder / "aaa.yaml").write_text("title: [unclosed\n")
    result = in_process("exercise", "list", "--pack", folder)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert "aaa.yaml: line" in lines[0]
    assert "us-japan-1960.yaml" in lines[1] and "actual: 'aliance'" in lines[1]
    assert "colour\\x1b[2J: unknown key" in lines[2]  # below it in the file
    assert lines[3] == "advisor: --pack: invalid scenario pack: 3 problems, each on a line above"
    assert "\x1b" not in result.stderr


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    (folder / "90-latin.yaml").write_bytes("rules:\n  - id: BAD-01\n    title: café\n".encode("latin-1"))
    assert check_knowledge_base(folder) == [
        "rules/90-latin.yaml: line 3, column 15: not UTF-8 text (byte 0xe9 at offset 36)".replace(
            "rules/", f"{_shown(folder)}/"
        )
    ]


def _shown(folder: Path) -> str:
    try:
        return str(folder.relative_to(Path.cwd()))
    except ValueError:
        return str(folder)


# --- exercise list, feedback ---------------------------------------------------------------------


def test_exercise_list_keeps_every_word_of_a_long_title_and_party(tmp_path: Path) -> None:
    long_word = "W" * 120
    folder = a_pack(
        tmp_path, lambda d: d.update(title=f"A title with {long_word}", parties=["X" * 90, "Japan"])
    )
    result = in_process("exercise", "list", "--pack", folder, columns=80)
    assert result.exit_code == 0, result.stderr
    cells = "".join(line.split("│")[4].strip() for line in result.stdout.splitlines() if line.count("│") == 5)
    assert long_word in cells and "…" not in result.stdout
    parties = "".join(
        line.split("│")[3].strip() for line in result.stdout.splitlines() if line.count("│") == 5
    )
    assert "X" * 90 in parties


def test_exercise_list_with_a_long_id_still_shows_the_titles(tmp_path: Path) -> None:
    folder = a_pack(tmp_path, lambda d: d.update(id="us-japan-1960-" + "x" * 120))
    result = in_process("exercise", "list", "--pack", folder, columns=80)
    assert result.exit_code == 0, result.stderr
    assert "North Atlantic" in result.stdout and "Revising" in result.stdout  # the titles have room
    assert "United States" in result.stdout and "x" * 20 in result.stdout


def test_exercise_list_on_a_narrow_terminal_shows_the_pack_title_as_written(tmp_path: Path) -> None:
    folder = a_pack(tmp_path)
    text = (
        (folder / "pack.yaml")
        .read_text()
        .replace("title: Alliances, partnerships and coalitions", "title: '[bold]Course[/] <b>x</b>'")
    )
    (folder / "pack.yaml").write_text(text)
    for columns in (40, 100):
        result = in_process("exercise", "list", "--pack", folder, columns=columns)
        assert result.stdout.splitlines()[0].startswith("[bold]Course[/] <b>x</b>"), result.stdout
        assert "\\[" not in result.stdout


def test_feedback_names_the_facts_as_the_questions_did() -> None:
    fb = feedback(read_submission(ADA), load_pack())
    moved = next(f for f in fb.facts if f.changes_advice)
    assert moved.fact == "existing_ties" and sentence(moved).startswith(
        "your existing ties strategic instead"
    )
    result = in_process("exercise", "feedback", ADA)
    assert result.exit_code == 0, result.stderr
    assert "existing ties" in result.stdout and "existing_ties" not in result.stdout
    assert "`advisor advise`" not in result.stdout
    assert '"fact": "existing_ties"' in in_process("exercise", "feedback", ADA, "--json").stdout


def test_feedback_on_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    result = in_process("exercise", "feedback", tmp_path)
    assert result.exit_code == 2 and "is a folder" in result.stderr and "no such file" not in result.stderr


# --- rules check, show, list ---------------------------------------------------------------------


def copy_rules(tmp_path: Path, edits: dict[str, tuple[str, str]] | None = None, extra: str = "") -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    for name, (old, new) in (edits or {}).items():
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text, old
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    if extra:
        (folder / "90-extra.yaml").write_text(extra, encoding="utf-8")
    return folder


NEGATION_CYCLE = (
    "20-restraints.yaml",
    (
        "      signals: [autonomy_preference]\n",
        "      signals: [autonomy_preference]\n      without: [quasi_alliance]\n",
    ),
)


def test_rules_check_reports_a_negation_cycle_beside_other_problems(tmp_path: Path) -> None:
    folder = copy_rules(
        tmp_path,
        {
            NEGATION_CYCLE[0]: NEGATION_CYCLE[1],
            "10-threat.yaml": ("shared_adversary: full\n", "shared_adversary: ful\n"),
        },
    )
    found = check_knowledge_base(folder)
    assert any("'ful' is not one of" in p for p in found), found
    assert any("negate signals in a cycle" in p for p in found), found


SELF_LOOP = """signals:
  looped: a signal only a rule needing it declares
rules:
  - id: LOP-01
    title: needs what it concludes
    when:
      signals: [looped]
    then:
      signal: looped
    rationale: x
    source: {seed: "001", passage: x}
  - id: LOP-02
    title: uses it
    when:
      signals: [looped, nowhere]
    then:
      evidence: alliance
      cf: 0.1
    rationale: x
    source: {seed: "001", passage: x}
  - id: LOP-03
    title: declares and tests an unknown signal
    when:
      without: [nowhere2]
    then:
      signal: nowhere2
    rationale: x
    source: {seed: "001", passage: x}
"""


def test_rules_check_finds_rules_that_can_never_fire_and_names_an_unknown_signal_once(tmp_path: Path) -> None:
    found = check_knowledge_base(copy_rules(tmp_path, extra=SELF_LOOP))
    never = [p for p in found if "can never fire" in p]
    assert [p.split(": rule ")[1].split(":")[0] for p in never] == ["LOP-01", "LOP-02"], found
    assert sum("rule LOP-03: unknown signal 'nowhere2'" in p for p in found) == 1, found


def seed_texts(folder: Path) -> Path:
    """A folder of seed texts holding exactly the bundled rules' passages (the real seeds are not shipped)."""
    kb = load_knowledge_base()
    folder.mkdir()
    for name, seed in kb.seeds.items():
        passages = [r.source.passage for r in kb.rules if r.source.seed == name]
        (folder / seed.file).write_text("\n\n".join(passages), encoding="utf-8")
    return folder


def test_rules_check_with_seeds_finds_a_passage_that_is_not_in_its_seed(tmp_path: Path) -> None:
    seeds = seed_texts(tmp_path / "seeds")
    good = in_process("rules", "check", "--seeds", seeds)
    assert good.exit_code == 0, good.stderr
    folder = copy_rules(
        tmp_path,
        {"10-threat.yaml": ("passage: Alliances typically form", "passage: Alliances always form")},
    )
    result = in_process("rules", "check", folder, "--seeds", seeds)
    assert result.exit_code == 2
    assert "rule THR-01: source.passage is not in seed 001" in result.stderr
    assert result.stderr.splitlines()[-1] == "advisor: 1 problem in the knowledge base"
    unchecked = in_process("rules", "check", folder)
    assert unchecked.exit_code == 0 and "--seeds DIR checks them" in unchecked.stdout


def test_rules_check_takes_the_rules_option_as_the_other_commands_do(tmp_path: Path) -> None:
    folder = copy_rules(tmp_path, {"10-threat.yaml": ("shared_adversary: full\n", "shared_adversary: ful\n")})
    result = in_process("rules", "check", "--rules", folder)
    assert result.exit_code == 2 and "'ful' is not one of" in result.stderr


def test_rule_file_problems_are_said_in_the_advisors_words_not_pydantics(tmp_path: Path) -> None:
    extra = "rules:\n  - id: bad-1\n    title: x\n    then: {signal: s}\n    rationale: x\n"
    extra += "    source: {seed: '001', passage: x}\n  - [not, a, rule]\n"
    found = check_knowledge_base(copy_rules(tmp_path, extra=extra))
    text = "\n".join(found)
    assert "rule bad-1: id: a rule id is two to four capitals" in text
    assert "rule 2 of the file: a rule is a mapping of id, title, when, then, rationale and source" in text
    assert "Value error" not in text and "_Raw" not in text


@pytest.mark.parametrize("columns", [40, 60, 100])
def test_rules_show_never_cuts_a_rule_title(columns: int) -> None:
    title = load_knowledge_base().rule("ALX-05").title
    result = in_process("rules", "show", "ALX-05", columns=columns)
    assert result.exit_code == 0, result.stderr
    shown = " ".join(line.strip("│╭╮─ ").replace("ALX-05 · ", "") for line in result.stdout.splitlines()[:4])
    assert title in " ".join(shown.split()) and "…" not in result.stdout


def test_rules_show_suggests_the_id_meant() -> None:
    result = in_process("rules", "show", "alx-5")
    assert result.exit_code == 2 and "did you mean ALX-05?" in result.stderr


def test_rules_list_folds_a_long_title_instead_of_cutting_it(tmp_path: Path) -> None:
    long_word = "Z" * 80
    folder = copy_rules(
        tmp_path,
        {
            "10-threat.yaml": (
                "title: A real threat from a commonly named adversary calls for balancing",
                f"title: Balancing {long_word}",
            )
        },
    )
    result = in_process("rules", "list", "--rules", folder, columns=100)
    assert result.exit_code == 0, result.stderr
    assert long_word in "".join(
        line.split("│")[3].strip() for line in result.stdout.splitlines()[:20] if "│" in line
    )
    assert "…" not in result.stdout


# --- help ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["precedents"],
        ["rules", "list"],
        ["rules", "show"],
        ["rules", "check"],
        ["exercise", "list"],
        ["exercise", "start"],
        ["exercise", "export"],
        ["exercise", "feedback"],
        ["exercise", "grade"],
    ],
)
def test_each_command_has_help_with_an_example_as_advisor_help_says(command: list[str]) -> None:
    text = in_process(*command, "--help").stdout
    assert "Example" in text and "<path>" not in text and "{pack}" not in text, text


def test_export_help_does_not_promise_sources() -> None:
    text = " ".join(in_process("exercise", "export", "--help").stdout.split())
    assert "briefs and sources" not in text and "PACK DIR" in text


def test_the_rules_digest_covers_every_rule_file_the_advisor_reads(tmp_path: Path) -> None:
    """A ``.yml`` rule file is read like a ``.yaml`` one; the digest a submission records left it out."""
    from advisor.exercise.submission import rules_digest

    digests = []
    for name, title in (("one", "Entrapment within"), ("two", "Entrapment inside")):
        folder = copy_rules(tmp_path / name)
        text = (folder / "50-cautions.yaml").read_text(encoding="utf-8")
        (folder / "50-cautions.yaml").unlink()
        (folder / "50-cautions.yml").write_text(text.replace("Entrapment within", title), encoding="utf-8")
        digests.append(rules_digest(folder))
    assert digests[0] != digests[1]
