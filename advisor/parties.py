"""The parties a case names: two for a dyad, three or more for a group, each once.

``grouping`` is read off the number of parties (``advisor.facts.grouping_of``), so a name
given twice would make a pair look like a group: a case file's parties are checked here.
"""

from __future__ import annotations


def named(name: str, names: list[str]) -> bool:
    """Return whether a party is among those named already (a name differing only in case or in
    blanks around it is the same party)."""
    key = name.strip().casefold()
    return any(n.strip().casefold() == key for n in names)


def check_parties(parties: list[str]) -> list[str]:
    """Return the parties if they are none at all, or two or more distinct, non-blank names;
    raise ValueError saying what is wrong otherwise (a name differing only in case is the same)."""
    if not parties:
        return parties
    if len(parties) == 1:
        raise ValueError("two names for a dyad, three or more for a group: one name is given")
    for number, name in enumerate(parties):
        if not name.strip():
            raise ValueError("a party's name is blank")
        if named(name, parties[:number]):
            raise ValueError(f"{name!r} is named twice: each party is named once")
    return parties
