"""What the file models share: strict pydantic models, names checked by shape, one error for many problems.

Rule files, the directions file and exercise packs are each validated into typed
objects; each reports every problem it finds at once, with file and line.
"""

from __future__ import annotations

import re

from pydantic import AfterValidator, BaseModel, ConfigDict


class StrictModel(BaseModel):
    """A pydantic model that refuses unknown keys and coercion, and is immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ProblemsError(ValueError):
    """Files that cannot be used; ``problems`` lists every finding with its file and line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def shaped(pattern: re.Pattern[str], message: str) -> AfterValidator:
    """Return a validator for ``Annotated[str, ...]`` that accepts only values matching ``pattern``."""

    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(message)
        return value

    return AfterValidator(check)
