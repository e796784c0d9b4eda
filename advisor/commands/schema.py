"""The ``advisor schema`` command: the JSON Schema of a case file, for editors."""

from __future__ import annotations

from typing import Any

import typer

from advisor.output import json_text


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command(short_help="Print the JSON Schema of a case file, for editors.")(schema)


def schema() -> None:
    """Print the JSON Schema of a case file, for editors.

    Example:

    \b
      advisor schema > case.schema.json
    """
    print(json_text(case_schema()))


def case_schema() -> dict[str, Any]:
    """Return the JSON Schema of a case file, each fact in every form a file may write it."""
    from advisor.cases import CaseFile

    document = CaseFile.model_json_schema()
    for name, prop in document["$defs"]["Facts"]["properties"].items():
        written_forms(name, prop)
    case = document["$defs"]["Case"]["properties"]
    del case["contested"]  # filled in from facts, never read from a file (a file giving it is refused)
    # none, or two names or more, each once and not blank (as advisor.parties checks)
    case["parties"].update(uniqueItems=True, **{"not": {"minItems": 1, "maxItems": 1}})
    case["parties"]["items"]["pattern"] = r"\S"
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "Alignment Advisor case file"
    return document


def written_forms(name: str, schema: dict[str, Any]) -> None:
    """Widen a fact's JSON Schema, in place, to every form a case file may write: one value,
    ``unknown``, or a list of two or more distinct values (contested); ``grouping``, derived, one value."""
    from advisor.facts import DERIVED_FACTS

    if name in DERIVED_FACTS:
        return
    one = {key: schema.pop(key) for key in ("type", "enum") if key in schema}
    several = {"type": "array", "items": one, "minItems": 2, "uniqueItems": True}
    schema["anyOf"] = [one, {"const": "unknown"}, several]
