"""The ``advisor rules`` commands: list, show and check the knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from advisor.commands.common import CONTEXT, JsonOption, RulesOption, console, fail, knowledge_base
from advisor.output import json_text, printable

KINDS = ("signal", "evidence", "caution", "combine")
RuleIdArgument = Annotated[str, typer.Argument(metavar="ID", help="A rule id, e.g. THR-01.")]
rules_app = typer.Typer(
    help="Read and check the knowledge base.", no_args_is_help=True, context_settings=CONTEXT
)


def register(app: typer.Typer) -> None:
    """Add the ``rules`` command group to the application."""
    app.add_typer(rules_app, name="rules", short_help="Read and check the knowledge base.")


@rules_app.command("list", short_help="List the rules of the knowledge base.")
def rules_list(
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", metavar="KIND", help="Only rules of one kind: signal, evidence, caution, combine."
        ),
    ] = None,
    as_json: JsonOption = False,
    rules: RulesOption = None,
) -> None:
    """List the rules of the knowledge base, then the order in which they run.

    Examples:

    \b
      advisor rules list
      advisor rules list --kind evidence
      advisor rules list --rules my-rules/ --json
    """
    kb = knowledge_base(rules)
    chosen = [r for r in kb.rules if kind is None or r.kind == kind]
    if kind is not None and kind not in KINDS:
        fail(f"--kind: {kind!r} is not one of {', '.join(KINDS)}")
    if as_json:
        print(json_text([_rule_json(r, kb) for r in chosen]))
        return
    from rich.text import Text

    from advisor.render.narrow import NARROWEST, WIDE, Stacked
    from advisor.render.terminal import rule_table

    out = console(NARROWEST)
    out.print(Stacked(rule_table(chosen)))
    lines = [printable(f"{len(chosen)} rules, {len(kb.signals)} signals, from {kb.directory}")]
    for line in [*lines, *resolution_order(kb)]:  # as written, but wrapped on a narrow terminal
        out.print(Text(line), soft_wrap=out.width >= WIDE)


def resolution_order(kb: Any) -> list[str]:
    """Say how the rules run (their strata, lowest first) and how equal beliefs are resolved."""
    from advisor.engine.certainty import TIE_ORDER
    from advisor.rulebase import stages

    lines = ["", "How the rules run, stratum by stratum:"]
    for step, (_, rules) in enumerate(stages(kb), 1):
        if len(rules) == 1:
            lines.append(f"  {step}. {rules[0].kind} {rules[0].id}: {rules[0].conclusion()}")
        else:
            kinds = [k for k in KINDS if any(r.kind == k for r in rules)]
            lines.append(f"  {step}. " + ", ".join(f"{sum(r.kind == k for r in rules)} {k}" for k in kinds))
    lines += ["Equal beliefs go to the first in the tie order:", "  " + " > ".join(TIE_ORDER)]
    return [printable(line) for line in lines]


@rules_app.command("show", short_help="Show one rule in plain language.")
def rules_show(
    rule_id: RuleIdArgument,
    as_json: JsonOption = False,
    rules: RulesOption = None,
) -> None:
    """Show one rule in plain language: its conditions, conclusion, rationale and source.

    Example:

    \b
      advisor rules show ALX-05
    """
    kb = knowledge_base(rules)
    try:
        rule = kb.rule(rule_id)
    except KeyError:
        from difflib import get_close_matches

        close = get_close_matches(rule_id.upper(), [r.id for r in kb.rules], n=1, cutoff=0.7)
        guess = f"did you mean {close[0]}? " if close else ""
        fail(f"no rule {rule_id!r}; {guess}'advisor rules list' shows them all")
    if as_json:
        print(json_text(_rule_json(rule, kb)))
        return
    from advisor.render.narrow import NARROWEST
    from advisor.render.terminal import rule_detail

    console(NARROWEST).print(rule_detail(rule, kb))


@rules_app.command("check", short_help="Check a knowledge base; every problem with file and line.")
def rules_check(
    directory: Annotated[
        Path | None, typer.Argument(metavar="[DIR]", help="A rules directory (default: the bundled one).")
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", metavar="DIR", help="The rules directory, as the other commands name it."),
    ] = None,
    seeds: Annotated[
        Path | None,
        typer.Option(
            "--seeds",
            metavar="DIR",
            help="The folder of the seed texts: check that each passage a rule cites is in its seed, "
            "word for word.",
        ),
    ] = None,
) -> None:
    """Check a knowledge base: every problem with its file and line; exit 2 if there are any.

    Examples:

    \b
      advisor rules check
      advisor rules check my-rules/ --seeds ../shared/seeds
    """
    from advisor.rulebase import check_knowledge_base, load_knowledge_base

    if directory is not None and rules is not None and directory != rules:
        fail(f"--rules {rules}: DIR names {directory} already; give the rules directory once")
    directory = directory or rules
    if seeds is not None and not seeds.is_dir():
        fail(f"--seeds {seeds}: " + ("not a folder" if seeds.exists() else "no such folder"))
    problems = check_knowledge_base(directory, seeds)
    for problem in problems:
        sys.stderr.write(printable(problem) + "\n")
    if problems:
        fail(f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in the knowledge base")
    kb = load_knowledge_base(directory)
    print(printable(f"ok: {len(kb.rules)} rules, {len(kb.signals)} signals in {kb.directory}"))
    if seeds is None:
        print("The passages were not checked against the seed texts; --seeds DIR checks them.")
    else:
        print(printable(f"Every passage a rule cites is in its seed text in {seeds}, word for word."))


def _rule_json(rule: Any, kb: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "kind": rule.kind,
        "if": rule.premises(),
        "then": rule.conclusion(),
        **({"evidence": {"outcomes": list(rule.outcomes), "cf": rule.cf}} if rule.kind == "evidence" else {}),
        "rationale": rule.rationale,
        "source": {"name": kb.describe_source(rule), "passage": rule.source.passage},
        "where": rule.where,
    }
