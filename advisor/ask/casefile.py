"""Case files written by a consultation: the required facts (and the optional ones answered), and their names.

A case file holds every required fact and each optional one answered (an unknown one
written as ``unknown``, one answered with several plausible values as their list), with the id,
title, year, expectation, notes and sources of the case the consultation was
pre-filled from, so that ``advisor advise`` and ``advisor evaluate`` accept it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.ask.session import ABOUT_KEYS, Inline, Session, yaml_text
from advisor.output import write_atomically

if TYPE_CHECKING:
    from advisor.engine import Engine, Recommendation

UNKNOWN = "unknown"  # how a case file says a fact is not known


def case_data(
    session: Session, notes: str | None = None, *, also_unknown: Sequence[str] = ()
) -> dict[str, Any]:
    """Return a case for a session: every fact, unknown ones as ``unknown``; raise ValueError if one lacks.

    A fact lacks when it was neither answered nor pre-filled (skipped as unable to
    matter); answer it, or mark it unknown with ``Session.answer(fact, None)``. The
    case's id, title, year, expectation, notes and sources come from the case that
    pre-filled the session; ``notes`` is used only where that case had none.
    ``also_unknown`` names facts to write as unknown although they were never asked.
    """
    from advisor.cases import Case
    from advisor.facts import OPTIONAL_FACTS, REQUIRED_FACTS, scales

    several = {f: UNKNOWN if scales()[f].says_nothing(v) else Inline(v) for f, v in session.contested.items()}
    given: dict[str, Any] = {**session.facts(), **several}  # every value of the scale: unknown
    unknown = {*session.unknown, *also_unknown}
    lacking = [f for f in REQUIRED_FACTS if f not in given and f not in unknown]
    if lacking:
        raise ValueError(f"a case file needs every fact; not asked: {', '.join(lacking)}")
    facts = {f: given.get(f, UNKNOWN) for f in REQUIRED_FACTS}
    # an optional fact is written only if it was answered (else its default holds)
    facts.update({f: given.get(f, UNKNOWN) for f in OPTIONAL_FACTS if f in given or f in unknown})
    about = dict(session.about)
    if notes and not about.get("notes"):
        about["notes"] = notes
    data: dict[str, Any] = {k: about[k] for k in ABOUT_KEYS[:2] if k in about}
    data["parties"] = list(session.parties)
    data.update({k: about[k] for k in ("year",) if k in about})
    data["facts"] = facts
    data.update({k: about[k] for k in ABOUT_KEYS[3:] if k in about})
    Case.model_validate(data)  # the file written must be one the other commands accept, unknowns included
    return data


def advice_for(session: Session, engine: Engine) -> Recommendation:
    """Return the recommendation for a session's answers.

    Answers with several plausible values, and answers given as unknown (every value of the
    scale), are reasoned over every reading, as a case file's are: when every other fact is
    given, through the case the answers make (``case_data``), exactly as ``advisor advise`` reads
    the file the consultation saves; otherwise over the facts given, the facts not asked (they
    cannot change the recommendation) left out.
    """
    from dataclasses import replace

    from advisor.cases import Case
    from advisor.engine import advise, over_facts
    from advisor.facts import scales

    if not session.contested and not session.unknown:
        rec = advise(session.engine_facts(), engine=engine)
    elif not session.not_asked():
        rec = advise(Case.model_validate(case_data(session)), engine=engine)
    else:
        unknown = {f: scales()[f].values for f in session.unknown}
        rec = over_facts(session.engine_facts(), {**session.contested, **unknown}, engine)
    return replace(rec, defaulted=session.defaulted())


def write_case(
    session: Session, path: Path, notes: str | None = None, *, also_unknown: Sequence[str] = ()
) -> None:
    """Write a session's answers as a case file, atomically; raise ValueError if facts are missing."""
    header = f"# Answers from an `advisor ask` consultation. Check it with: advisor advise {path.name}\n"
    write_atomically(path, header + yaml_text(case_data(session, notes, also_unknown=also_unknown)))


def case_file_name(parties: list[str], about: dict[str, Any] | None = None) -> str:
    """Suggest a case file name: from the case's id or title if it has one, else the parties' names."""
    about = about or {}
    for name in (about.get("id"), about.get("title"), "-".join(parties)):
        slug = re.sub(r"[^a-z0-9]+", "-", str(name or "").lower()).strip("-")[:60].strip("-")
        if slug:
            return f"{slug}.yaml"
    return "advisor-case.yaml"
