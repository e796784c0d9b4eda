"""The ``advisor explain`` and ``advisor report`` commands: explanations that teach, and a brief.

Only typer is imported here; the library and rich are imported inside the
commands, so that ``advisor --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from advisor.commands.common import SET_VALUES, CaseFileArgument, CaseOption, RulesOption


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command(short_help="Explain a recommendation: how, why not another outcome, what if.")(explain)
    app.command(short_help="Write a brief to hand in, as Markdown or one HTML file.")(report)


def explain(
    file: CaseFileArgument,
    case: CaseOption = None,
    why_not: Annotated[
        str | None,
        typer.Option("--why-not", metavar="OUTCOME", help="The smallest change of facts that gives OUTCOME."),
    ] = None,
    settings: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FACT=VALUE",
            help=f"What if: change a fact and re-run (repeatable). {SET_VALUES}",
        ),
    ] = None,
    show_sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Every single change of fact that alters the outcome.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    rules: RulesOption = None,
) -> None:
    """Explain the recommendation for FILE: how it was reached, why not another outcome, what if.

    Without options: the chain from facts to outcome as a tree, and how robust it is.
    --why-not and --sensitivity start from the facts after any --set changes. With contested
    facts, each change is judged over their readings, and the precedents compare the values given.

    Examples:

    \b
      advisor explain cases/library/us-india-2005.yaml
      advisor explain cases/library/us-india-2005.yaml --why-not comprehensive
      advisor explain cases/library/us-india-2005.yaml --set ratification_cost=low
      advisor explain cases/library/us-india-2005.yaml --set threat_level=unknown
      advisor explain cases/library/us-india-2005.yaml --sensitivity --json
    """
    from advisor.commands.common import console, fact_settings, fail, knowledge_base, load_one_case
    from advisor.engine import get_engine
    from advisor.explain import explanation, plausible_query
    from advisor.outcomes import OUTCOME_IDS, typed_outcome
    from advisor.precedents import precedents

    if why_not is not None:  # as --set takes a value: in any case; an outcome's name as well as its id
        target = typed_outcome(why_not)
        if target is None:
            fail(f"--why-not: {why_not!r} is not an outcome; use one of {', '.join(OUTCOME_IDS)}")
        why_not = target
    changes = fact_settings(settings)
    chosen = load_one_case(file, case)
    knowledge_base(rules)
    engine = get_engine(rules)
    explained = explanation(
        chosen, engine=engine, changes=changes, why_not=why_not, sensitivity=show_sensitivity
    )
    rec = explained.recommendation
    near = precedents(plausible_query(rec), exclude=chosen.id, kb=engine.kb)
    if as_json:
        from advisor.output import json_text

        print(json_text({**explained.to_dict(), "precedents": near.to_dict(rec.outcome)}))
        return
    from advisor.render.explain import explanation_view
    from advisor.render.terminal import heading

    console().print(explanation_view(explained, heading(chosen.id, chosen.title, chosen.parties), near))


def report(
    file: CaseFileArgument,
    output: Annotated[  # text, so that an empty path is told apart from "." (Path("") is ".")
        str,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Where to write the brief: FILE.md or FILE.html ('-' for standard output).",
        ),
    ],
    case: CaseOption = None,
    settings: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FACT=VALUE",
            help="What if: write the brief of the case with a fact changed (repeatable), marked as a "
            f"what-if and set against the case as filed. {SET_VALUES}",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="md|html",
            help="Markdown or one self-contained HTML file (default: from the output's extension, else md).",
        ),
    ] = None,
    rules: RulesOption = None,
) -> None:
    """Write a brief for the case in FILE: facts, recommendation, reasoning, cautions, why-not,
    sensitivity, sources and the inference chain as a diagram.

    With --set FACT=VALUE (as explain takes it) the brief is a what-if: its title and a notice at the top
    say so, name each fact changed from its value in the case file, and give the outcome of the case
    as filed beside that of the changed case; everything else in the brief is of the changed case.

    Examples:

    \b
      advisor report cases/library/us-india-2005.yaml -o brief.md
      advisor report cases/library/us-india-2005.yaml -o brief.html
      advisor report cases/library/us-india-2005.yaml -o -
      advisor report cases/library/us-india-2005.yaml --set threat_level=high -o what-if.md
      advisor report cases/library/us-india-2005.yaml --set threat_level=unknown -o what-if.html
    """
    from advisor.commands.common import fact_settings, fail, knowledge_base, load_one_case, not_an_input
    from advisor.engine import get_engine

    if output == "":
        fail("-o: the path is empty; name a file to write (FILE.md, FILE.html) or '-'")
    not_an_input("-o", output, [file])
    if fmt is not None and fmt not in ("md", "html"):
        fail(f"--format: {fmt!r} is not one of md, html")
    if output != "-":
        suffix = Path(output).suffix.lower()
        given = {".md": "md", ".html": "html", ".htm": "html", "": fmt or "md"}.get(suffix)
        if given is None:
            fail(f"-o {output}: a brief is Markdown (.md) or HTML (.html); name such a file, or '-'")
        if fmt is not None and fmt != given:
            fail(f"-o {output}: --format {fmt} does not match the file's extension {suffix}")
        fmt = given
    fmt = fmt or "md"
    changes = fact_settings(settings)
    chosen = load_one_case(file, case)
    knowledge_base(rules)
    from advisor import brief as briefs

    writer = briefs.html if fmt == "html" else briefs.markdown
    text = writer(chosen, engine=get_engine(rules), changes=changes)
    from advisor.output import printable, write_atomically

    if str(output) == "-":
        sys.stdout.write(printable(text, one_line=False))
        return
    try:
        write_atomically(Path(output), text)
    except OSError as exc:
        fail(f"{output}: cannot write the brief: {exc.strerror or exc}")
    kind = ("HTML" if fmt == "html" else "Markdown") + (", a what-if" if changes else "")
    print(printable(f"wrote {output} ({kind})"))
