"""The ``advisor schema`` command: the JSON Schema of a case file, for editors."""

from __future__ import annotations

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
    from advisor.cases import case_schema

    print(json_text(case_schema()))
