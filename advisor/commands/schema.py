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
    from advisor.documents import MAX_DIGITS

    document = CaseFile.model_json_schema()
    for prop in document["$defs"]["Facts"]["properties"].values():
        written_forms(prop)
    case = document["$defs"]["Case"]["properties"]
    del case["contested"]  # filled in from facts, never read from a file (a file giving it is refused)
    # none, or two names or more, each once and not blank (as advisor.parties checks)
    case["parties"].update(uniqueItems=True, **{"not": {"minItems": 1, "maxItems": 1}})
    case["parties"]["items"]["pattern"] = r"\S"
    case["parties"]["description"] += " " + PARTIES_BEYOND_SCHEMA
    # at most MAX_DIGITS digits, as advisor.documents reads any number
    largest = 10**MAX_DIGITS - 1
    year = next(form for form in case["year"]["anyOf"] if form.get("type") == "integer")
    year.update(minimum=-largest, maximum=largest)
    case["year"]["description"] += " " + YEAR_BEYOND_SCHEMA
    document["anyOf"][1]["minItems"] = 1  # a list of cases holds one case or more
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "Alignment Advisor case file"
    document["description"] += " " + BEYOND_SCHEMA
    return document


# What the advisor refuses and JSON Schema cannot say; docs/case-format.md says it too.
PARTIES_BEYOND_SCHEMA = (
    "Each party is named once, ignoring case and blanks around a name: the advisor refuses "
    "['France', 'france'] and ['France', ' France'], which this schema cannot tell apart "
    "(uniqueItems compares names exactly)."
)
YEAR_BEYOND_SCHEMA = (
    "A whole number written without a decimal point: the advisor refuses 2020.0, which JSON "
    "Schema counts as the integer 2020."
)
BEYOND_SCHEMA = (
    "The advisor refuses a few files this schema accepts: a party named twice up to case or "
    "blanks, a year written as 2020.0, two cases with the same id in one file, and what is wrong "
    "in the text itself (YAML tags, duplicate keys, numbers of more than 30 digits, over 5 MB; "
    "see docs/case-format.md)."
)


def written_forms(schema: dict[str, Any]) -> None:
    """Widen a fact's JSON Schema, in place, to every form a case file may write: one value,
    ``unknown``, or a list of two or more distinct values (contested). ``grouping``, derived from
    the parties, too: written, it is read like any fact (``unknown`` considers both readings)."""
    one = {key: schema.pop(key) for key in ("type", "enum") if key in schema}
    several = {"type": "array", "items": one, "minItems": 2, "uniqueItems": True}
    schema["anyOf"] = [one, {"const": "unknown"}, several]
