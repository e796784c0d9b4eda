"""The parties a case names: two for a dyad, three or more for a group, each once.

``grouping`` is read off the number of parties (``advisor.facts.grouping_of``), so a name
given twice would make a pair look like a group: a case file's parties are checked here.
"""

from __future__ import annotations


def check_parties(parties: list[str]) -> list[str]:
    """Return the parties if they are none at all, or two or more distinct, non-blank names;
    raise ValueError saying what is wrong otherwise (a name differing only in case is the same)."""
    if not parties:
        return parties
    if len(parties) == 1:
        raise ValueError("two names for a dyad, three or more for a group: one name is given")
    seen: set[str] = set()
    for name in parties:
        if not name.strip():
            raise ValueError("a party's name is blank")
        if name.strip().casefold() in seen:
            raise ValueError(f"{name!r} is named twice: each party is named once")
        seen.add(name.strip().casefold())
    return parties
