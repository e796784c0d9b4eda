"""The facts about a dyad: one pydantic model that validates, documents and asks.

The model is the single source of truth for the vocabulary of the case format (docs/case-format.md): the
engine reads the scales from it, the questionnaire reads the question text and
the meaning of each value from it, and ``advisor schema`` prints it for editors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

FactValue = str | bool
Answer = FactValue | tuple[FactValue, ...]  # one value, or several plausible values (a contested fact)


def _fact(
    q: str,
    meanings: dict[str, str],
    *,
    ordered: bool,
    help: str,
    kind: str = "required",
    default: Any = False,
    groups_only: bool = False,
) -> Any:
    """Declare one fact; ``kind``: required, optional (``default`` when not given) or derived (see below);
    ``groups_only``: read only for three or more parties (ignored for a pair)."""
    extra: dict[str, Any] = {"meanings": meanings, "ordered": ordered, "help": help, "kind": kind}
    extra["groups_only"] = groups_only
    extra["derived"] = kind == "derived"
    if kind == "required":
        return Field(description=q, json_schema_extra=extra)
    return Field(default, description=q, json_schema_extra=extra)


class Facts(BaseModel):
    """Everything the advisor needs to know about a dyad (or a group's core)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    threat_level: Literal["none", "low", "moderate", "high", "existential"] = _fact(
        "How severe is the external security threat the two sides face?",
        {
            "none": "no external security threat worth the name",
            "low": "a distant or diffuse threat; no planning against it",
            "moderate": "a real threat that shapes defense planning, but not imminent",
            "high": "a serious, concrete threat of armed coercion or attack",
            "existential": "the survival or territorial integrity of a side is at stake",
        },
        ordered=True,
        help="Rate the threat as the more exposed side perceives it at the time of the decision.",
    )
    shared_adversary: Literal["none", "partial", "full"] = _fact(
        "Do both sides name the same principal adversary?",
        {
            "none": "no common adversary",
            "partial": "one shared concern, or a rival named by only one side",
            "full": "both name the same principal adversary",
        },
        ordered=True,
        help="Alliances form against a named adversary; partnerships need none.",
    )
    power_asymmetry: Literal["parity", "moderate", "high"] = _fact(
        "How unequal are their capabilities?",
        {
            "parity": "broadly comparable power",
            "moderate": "one side clearly stronger, but not overwhelmingly",
            "high": "a great power and a much smaller state",
        },
        ordered=True,
        help="Think of military, economic and diplomatic weight together.",
    )
    ratification_cost: Literal["low", "moderate", "high"] = _fact(
        "How costly would domestic ratification of a binding treaty be, for the side with the higher hurdle?",
        {
            "low": "the executive can ratify alone, or approval is a formality",
            "moderate": "a legislative majority is needed and can be found with effort",
            "high": "a supermajority (e.g. a two-thirds Senate vote) or strong public opposition",
        },
        ordered=True,
        help="Judge the side with the higher hurdle.",
    )
    existing_ties: Literal[
        "none", "partnership", "strategic", "comprehensive", "coordination", "alliance"
    ] = _fact(
        "What is the highest formal tie they already have?",
        {
            "none": "no formal tie",
            "partnership": "a limited, sectoral partnership",
            "strategic": "a strategic partnership",
            "comprehensive": "a comprehensive strategic partnership",
            "coordination": "a comprehensive strategic partnership of coordination",
            "alliance": "a treaty alliance with a mutual-defense clause",
        },
        ordered=True,
        help="The tie in force before the arrangement you are deciding on.",
    )
    economic_interdependence: Literal["low", "medium", "high"] = _fact(
        "How deep are their trade and investment ties?",
        {
            "low": "marginal trade and investment for both",
            "medium": "significant for at least one side",
            "high": "each is a major economic partner of the other",
        },
        ordered=True,
        help="Trade, investment, supply chains and energy flows together.",
    )
    value_alignment: Literal["low", "medium", "high"] = _fact(
        "How closely do their regimes and values align?",
        {
            "low": "different regime types and contested values",
            "medium": "some shared values, notable differences",
            "high": "similar regimes and broadly shared values",
        },
        ordered=True,
        help="Regime type, human rights, rule of law, and how each sees the other's politics.",
    )
    governance_alignment: Literal["low", "medium", "high"] = _fact(
        "How closely do they coordinate on global governance: UN votes, "
        "multilateral institutions, views of world order?",
        {
            "low": "they often vote and act against each other",
            "medium": "they agree on some institutions and disagree on others",
            "high": "they coordinate positions on world order",
        },
        ordered=True,
        help="UN voting, positions in multilateral bodies, shared views on world order.",
    )
    entrapment_risk: Literal["low", "moderate", "high"] = _fact(
        "How likely is a binding commitment to drag one side into the other's disputes or wars?",
        {
            "low": "the partner has no live disputes that could become wars",
            "moderate": "live disputes exist, but escalation is unlikely",
            "high": "the partner has active territorial disputes or conflicts",
        },
        ordered=True,
        help="Entrapment: being dragged into a partner's conflicts by a binding pledge.",
    )
    rival_ties: bool = _fact(
        "Does either side keep close ties with the other's main rival?",
        {"true": "yes, close ties with the other's rival", "false": "no such ties"},
        ordered=True,
        help="E.g. buying arms from, or holding a partnership with, the partner's main rival.",
    )
    autonomy_tradition: bool = _fact(
        "Does either side have a tradition of non-alignment or strategic autonomy?",
        {"true": "yes, a tradition of non-alignment or autonomy", "false": "no such tradition"},
        ordered=True,
        help="Non-alignment, neutrality, or a declared doctrine of strategic autonomy.",
    )
    issue_scope: Literal["security", "multi_sector", "transnational"] = _fact(
        "What is the cooperation mainly about: defense, many sectors at once, or a "
        "transnational challenge (climate, health, energy, critical minerals)?",
        {
            "security": "defense and security",
            "multi_sector": "many sectors at once: trade, technology, security, culture",
            "transnational": "a transnational challenge: climate, health, energy, minerals",
        },
        ordered=False,
        help="The main purpose of the arrangement.",
    )
    nonstate_actors_essential: bool = _fact(
        "Are firms, foundations, civil society or international organisations essential "
        "to delivering results?",
        {
            "true": "yes, results depend on non-state actors",
            "false": "states can deliver on their own",
        },
        ordered=True,
        help="Firms, foundations, NGOs or international organisations.",
    )
    standing_commitment: bool = _fact(
        "Do the members of a grouping bind themselves to open-ended obligations towards one another?",
        {
            "true": "a standing pact or charter of mutual obligations",
            "false": "cooperation organised around a task, operation, programme or goal",
        },
        ordered=True,
        help="For three or more parties only; ignored for a pair.",
        kind="optional",
        groups_only=True,
    )
    standing_forum: bool = _fact(
        "Do the members of a grouping meet as a standing forum on their relations as a whole, "
        "rather than around one task, operation, programme, crisis or goal?",
        {
            "true": "a standing forum: regular summits or councils on an open, long-term agenda",
            "false": "organised around one task, operation, programme, crisis or goal",
        },
        ordered=True,
        help="For three or more parties only; ignored for a pair. A regional cooperation "
        "organisation, a summit process or a bloc's partnership framework is a standing forum; a "
        "mission, a fund or an initiative on one problem is not, even with a secretariat.",
        kind="optional",
        groups_only=True,
    )
    grouping: bool = _fact(
        "Does the arrangement bind three or more parties rather than two?",
        {
            "true": "a group: three or more parties",
            "false": "a dyad: two parties",
        },
        ordered=True,
        help="Derived from the case's parties (three or more names make a group); optional, "
        "false by default.",
        kind="derived",
    )


@dataclass(frozen=True)
class Scale:
    """One fact's scale: its values in order, and the text that explains it."""

    name: str
    values: tuple[FactValue, ...]
    ordered: bool
    question: str
    help: str
    meanings: Mapping[str, str]

    def rank(self, value: FactValue) -> int:
        """Return a value's position on the scale."""
        return self.values.index(value)

    def show(self, value: FactValue) -> str:
        """Render a value as it is written in a case file."""
        return str(value).lower() if isinstance(value, bool) else value

    def says_nothing(self, values: Iterable[FactValue]) -> bool:
        """Say whether plausible values cover the whole scale: then the fact is simply not known."""
        return set(self.values) <= set(values)

    def allowed(self, *, unknown: bool = False) -> str:
        """List the allowed values as a person would read them (with ``unknown`` where it is allowed)."""
        return ", ".join([*(self.show(v) for v in self.values), *(["unknown"] if unknown else [])])

    def refuse(self, value: object, *, unknown: bool = False) -> str:
        """Say why a value is not on this scale, naming an empty value or a quoted boolean as such.

        ``unknown``: the value may also be written ``unknown`` (in a case file), so the list says so.
        """
        boolean = self.values[0] is False
        allowed = self.allowed(unknown=unknown)
        if value is None:
            return f"the value is empty; write one of {allowed}"
        if unknown and isinstance(value, str) and value.strip().lower() == "unknown":
            return f"{value!r} is not one of {allowed} (write unknown in lower case)"
        if boolean and isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return f"{value!r} is not a boolean but a string; write {value.strip().lower()} without quotes"
        if boolean:
            return f"{value!r} is not a boolean; write true or false" + (" (or unknown)" if unknown else "")
        if isinstance(value, bool):
            return (
                f"{str(value).lower()} is a boolean (YAML reads yes, no, on and off as booleans), "
                f"not one of {allowed}"
            )
        return f"{value!r} is not one of {allowed}"


@cache
def scales() -> dict[str, Scale]:
    """Return every fact's scale, in the documented order (docs/case-format.md), from the Facts model."""
    result = {}
    for name, field in Facts.model_fields.items():
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        values: tuple[FactValue, ...] = (
            (False, True) if field.annotation is bool else get_args(field.annotation)
        )
        meanings = {str(k): str(v) for k, v in dict(extra["meanings"]).items()}  # type: ignore[arg-type]
        result[name] = Scale(
            name=name,
            values=values,
            ordered=bool(extra["ordered"]),
            question=field.description or name,
            help=str(extra["help"]),
            meanings=meanings,
        )
    return result


def _kind(name: str) -> str:
    return str(dict(Facts.model_fields[name].json_schema_extra or {})["kind"])  # type: ignore[arg-type]


# The facts by kind, each in the documented fact order. REQUIRED_FACTS: every case gives them and every
# consultation may ask them, the thirteen of the case format (FACT_NAMES is their older name). OPTIONAL_FACTS:
# given or not (their default when not), asked only when they can matter. DERIVED_FACTS: read off the
# rest of a case (``grouping``, from the parties), never asked. ASKED_FACTS: the required and the
# optional. ALL_FACTS: every fact the engine reads, the derived last. DEFAULTS: the value of an
# optional or derived fact not given.
REQUIRED_FACTS: tuple[str, ...] = tuple(name for name in Facts.model_fields if _kind(name) == "required")
FACT_NAMES: tuple[str, ...] = REQUIRED_FACTS
OPTIONAL_FACTS: tuple[str, ...] = tuple(name for name in Facts.model_fields if _kind(name) == "optional")
DERIVED_FACTS: tuple[str, ...] = tuple(name for name in Facts.model_fields if _kind(name) == "derived")
ASKED_FACTS: tuple[str, ...] = (*REQUIRED_FACTS, *OPTIONAL_FACTS)
ALL_FACTS: tuple[str, ...] = (*REQUIRED_FACTS, *OPTIONAL_FACTS, *DERIVED_FACTS)
DEFAULTS: dict[str, FactValue] = {n: Facts.model_fields[n].default for n in (*OPTIONAL_FACTS, *DERIVED_FACTS)}
OPTIONAL_DEFAULTS: dict[str, FactValue] = {name: DEFAULTS[name] for name in OPTIONAL_FACTS}


def grouping_of(parties: list[str]) -> bool:
    """Say whether a list of parties makes a group (three or more) rather than a dyad."""
    return len(parties) >= 3


def join(parts: Iterable[str], conjunction: str = "and") -> str:
    """Join clauses as English does: ``a``, ``a and b``, ``a, b and c`` (or ``a, b or c``)."""
    items = list(parts)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def fact_label(name: str) -> str:
    """Return a fact's name as a person reads it (``ratification cost``)."""
    return name.replace("_", " ")


def show(name: str, value: FactValue | None) -> str:
    """Return a fact's value as written in a case file, or ``unknown`` when it is not known."""
    return "unknown" if value is None else scales()[name].show(value)


KnownFacts = Mapping[str, FactValue]
"""Facts as the engine takes them: any subset of the vocabulary (unknowns left out)."""


def check_known(facts: KnownFacts) -> dict[str, FactValue]:
    """Validate a partial set of facts against the scales; raise ValueError naming the field."""
    table = scales()
    checked: dict[str, FactValue] = {}
    for name, value in facts.items():
        if name not in table:
            raise ValueError(f"{name}: unknown fact; known facts are {', '.join(table)}")
        scale = table[name]
        if value not in scale.values or type(value) is not type(scale.values[0]):
            raise ValueError(f"{name}: {scale.refuse(value)}")
        checked[name] = value
    return checked


def as_known(facts: Facts | KnownFacts) -> dict[str, FactValue]:
    """Return facts as a plain validated mapping, whatever form they came in."""
    if isinstance(facts, Facts):
        return facts.model_dump()
    return check_known(facts)
