"""The ``advisor precedents`` command: the library's closest arrangements to a case, beside the advice.

Only typer is imported here; the library and rich are imported inside the
command, so that ``advisor --help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from advisor.commands.common import CaseFileArgument, CaseOption, JsonOption, RulesOption
from advisor.output import json_text


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command(short_help="The case library's closest arrangements, and what their parties chose.")(
        precedents
    )


def precedents(
    file: CaseFileArgument,
    k_given: Annotated[  # text, read here, so that a bad value is one line like any other
        str, typer.Option("--k", metavar="INTEGER", help="How many precedents to show (1 or more).")
    ] = "3",
    case: CaseOption = None,
    as_json: JsonOption = False,
    rules: RulesOption = None,
) -> None:
    """Show the arrangements of the case library closest to the case in FILE, and what their parties chose.

    Closeness is agreement on the facts, weighted by how much each fact matters to the rules.
    When the rules and the precedents point different ways, a warning says so.

    Examples:

    \b
      advisor precedents cases/library/us-japan-1960.yaml
      advisor precedents cases/library/us-japan-1960.yaml --k 5 --json
    """
    from advisor.commands.common import fail, knowledge_base, load_one_case
    from advisor.engine import advise, get_engine
    from advisor.library import LibraryError
    from advisor.precedents import precedents as closest

    k = int(k_given) if k_given.strip().isdecimal() else 0
    if k < 1:
        fail(f"--k: {k_given!r} is not a number of precedents; give 1 or more")
    chosen = load_one_case(file, case)
    kb = knowledge_base(rules)
    rec = advise(chosen, engine=get_engine(rules))
    try:
        found = closest(chosen, k=k, kb=kb)
    except LibraryError as exc:  # names the library file at fault
        fail(str(exc))
    except ValueError as exc:
        fail(f"{file}: {exc}")
    if as_json:
        data = {"case": rec.case, "recommendation": rec.outcome, **found.to_dict(rec.outcome)}
        print(json_text(data))
        return
    from rich.text import Text

    from advisor.commands.common import console
    from advisor.outcomes import label
    from advisor.output import printable
    from advisor.render.precedents import precedents_table

    out = console()
    # the case's own names are shown as advise shows them: a control character visibly escaped
    names = " / ".join(printable(p) for p in chosen.parties)
    parts = [printable(part) for part in (chosen.title or "", names) if part.strip()]
    out.print(Text.assemble((printable(chosen.name), "bold"), *(f" · {part}" for part in parts)))
    out.print(Text.assemble("The rules recommend ", (label(rec.outcome), "bold"), "."))
    out.print(precedents_table(found, outcome=rec.outcome))
