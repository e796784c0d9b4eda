"""The ``advisor advise`` command: the recommendation for one case file, with its reasons."""

from __future__ import annotations

from typing import Annotated

import typer

from advisor.commands.common import (
    CaseFileArgument,
    CaseOption,
    JsonOption,
    RulesOption,
    console,
    knowledge_base,
    load_one_case,
)
from advisor.output import json_text


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command(short_help="Recommend a tie for one case file, and show why.")(advise)


def advise(
    file: CaseFileArgument,
    case: CaseOption = None,
    as_json: JsonOption = False,
    trace: Annotated[bool, typer.Option("--trace", help="Show every firing, in order.")] = False,
    rules: RulesOption = None,
) -> None:
    """Recommend a tie for the case in FILE, with its reasons and the trace.

    Examples:

    \b
      advisor advise cases/library/us-japan-1960.yaml
      advisor advise cases/library/us-japan-1960.yaml --trace
      advisor advise cases/library/us-japan-1960.yaml --json
      advisor advise cases/library/quad-2007.yaml --case quad-2007

    The case format and the JSON object are described in:

    \b
      docs/case-format.md
    """
    from advisor.engine import advise as run_advice
    from advisor.engine import get_engine
    from advisor.precedents import precedents

    chosen = load_one_case(file, case)
    kb = knowledge_base(rules)
    rec = run_advice(chosen, engine=get_engine(rules))
    near = precedents(chosen, exclude=chosen.id, kb=kb)
    if as_json:
        about = {"title": chosen.title, "parties": list(chosen.parties), "year": chosen.year}
        print(json_text({**rec.to_dict(), **about, "precedents": near.to_dict(rec.outcome)}))
        return
    from advisor.explain import how
    from advisor.render.terminal import advice, heading

    title = heading(chosen.id, chosen.title, chosen.parties)
    console().print(advice(rec, how(rec), title=title, full_trace=trace, precedents=near))
