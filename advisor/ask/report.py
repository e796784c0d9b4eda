"""What a consultation shows besides the recommendation: the summary of answers, and what rests on gaps.

A gap is a fact the engine reasoned without: answered "unknown", or skipped
because it could not change the recommendation. For each unknown fact the engine
is re-run with every value it could take; the relevance analysis says which
conclusions and cautions a gap could still change.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from advisor.ask.questions import ORDER, said
from advisor.ask.session import Session
from advisor.engine import Engine, Recommendation, Relevance, Tri, analyse
from advisor.explain import sensitivity
from advisor.facts import fact_label, scales, show
from advisor.outcomes import label
from advisor.rulebase import KnowledgeBase


def summary_table(
    session: Session, rel: Relevance, kb: KnowledgeBase, *, prefilled: bool = False, width: int = 80
) -> RenderableType:
    """Return every answer in question order, with how it was given (or why it was not asked).

    Below 80 columns the table becomes a list, one answer a line and its note under it.
    """
    title = "Pre-filled answers (from the case file)" if prefilled else "Your answers"
    rows = [("", "parties", " / ".join(session.parties or session.suggested_parties), "")]
    for number, fact in enumerate(ORDER, start=1):
        value = session.default(fact)
        if fact in session.answers:
            answer, note = said(fact, session.answers[fact]), ""
        elif fact in session.unknown:
            answer, note = "unknown", "the advisor reasons without it"
        elif prefilled:
            answer, note = said(fact, value), ""
        else:
            answer = said(fact, value) if value is not None else "—"
            kept = "pre-filled, " if value is not None else ""
            note = f"{kept}not asked: {_short_reason(rel, fact)}"
        rows.append((str(number), fact_label(fact), answer, note))
    if width < 80:
        text = Text(title, style="bold")
        for shown_number, label_, answer, note in rows:
            text.append(f"\n{shown_number:>2} {label_}: ", style="bold").append(answer)
            if note:
                text.append(f"\n     {note}", style="dim")
        return text
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("#", justify="right")
    table.add_column("question", no_wrap=True)
    table.add_column("answer", no_wrap=True)
    table.add_column("note")
    for shown_number, label_, answer, note in rows:
        table.add_row(shown_number, label_, Text(answer), note)
    return table


def _short_reason(rel: Relevance, fact: str) -> str:
    """Say in a few words why a fact was not asked."""
    status = rel.status(fact)
    if status == "caution":
        return f"it could only add a caution ({', '.join(rel.cautionary[fact])})"
    if status == "decisive":
        return "still to be asked"
    return "it cannot change the recommendation"


def gaps_report(session: Session, rec: Recommendation, engine: Engine) -> RenderableType | None:
    """Return what rests on missing answers: skipped facts, unknown facts and their what-ifs, cautions."""
    facts = dict(rec.facts)
    kb = engine.kb
    rel = analyse(facts, kb)
    parts: list[RenderableType] = []
    skipped = [f for f in ORDER if f not in facts and f not in session.unknown]
    if skipped:
        text = Text("Not asked, because they could not change the recommendation: ", style="bold")
        parts.append(text.append(", ".join(skipped), style="not bold"))
    if session.unknown:
        parts.append(_unknown_facts(session, rec, engine))
    if rel.settled is None:
        others = ", ".join(label(o) for o in rel.outcomes if o != rec.outcome)
        parts.append(
            Text.assemble(
                ("The recommendation rests on missing answers: ", "bold yellow"),
                f"with other answers it could be {others}.",
            )
        )
    fragile = _fragile(rec, rel, kb)
    if fragile:
        parts.append(fragile)
    maybe = _possible_cautions(rec, rel, kb)
    if maybe:
        parts.append(maybe)
    return Group(*parts) if parts else None


def _unknown_facts(session: Session, rec: Recommendation, engine: Engine) -> Text:
    """Say, for each unknown fact, what each of its values would make the recommendation."""
    text = Text("Unknown answers: what each value would give", style="bold")
    flips = sensitivity(rec, engine=engine, facts=session.unknown).by_fact()
    for fact in (f for f in ORDER if f in session.unknown):
        gives = {f.change.after: f.outcome for f in flips.get(fact, ())}
        by_outcome: dict[str, list[str]] = {}
        for value in scales()[fact].values:
            by_outcome.setdefault(gives.get(value, rec.outcome), []).append(show(fact, value))
        text.append(f"\n  {fact}", style="bold")
        if list(by_outcome) == [rec.outcome]:
            text.append(f": any value gives {label(rec.outcome)}")
        else:
            groups = [
                f"{', '.join(vs)} → {label(o)}" + (" (as now)" if o == rec.outcome else "")
                for o, vs in by_outcome.items()
            ]
            text.append(": " + "; ".join(groups))
        users = engine.kb.users_of_fact(fact)
        text.append(f"\n    tested by {', '.join(r.id for r in users)}", style="dim")
        signals = sorted({r.declares for r in users if r.declares})
        if signals:
            text.append(f" (signals {', '.join(signals)})", style="dim")
    return text


def _fragile(rec: Recommendation, rel: Relevance, kb: KnowledgeBase) -> Text | None:
    """Name the firings that rest on a signal being absent which a missing answer could supply."""
    lines = []
    for firing in rec.chain():
        rule = kb.rule(firing.rule)
        open_ = [s for s in rule.without if rel.signals[s] == Tri.MAYBE]
        if open_:
            lines.append(
                f"\n  {rule.id} ({rule.conclusion(brief=True)}) fired because {', '.join(open_)} is absent"
            )
    if not lines:
        return None
    text = Text(
        "Conclusions resting on a missing answer (it could supply a signal they need absent)", style="bold"
    )
    for line in dict.fromkeys(lines):
        text.append(line)
    return text


def _possible_cautions(rec: Recommendation, rel: Relevance, kb: KnowledgeBase) -> Text | None:
    """Name the cautions that may apply, or may not, depending on missing answers."""
    fired = {c.rule for c in rec.cautions}
    maybe = [c for c in kb.of_kind("caution") if rel.rules[c.id] == Tri.MAYBE]
    if not maybe:
        return None
    text = Text("Cautions that depend on missing answers", style="bold")
    for rule in maybe:
        facts = ", ".join(f for f in ORDER if f in rel.behind(rule, kb))
        if rule.id in fired:
            state = (
                f"shown above, but it rests on {facts}" if facts else "it holds for this recommendation only"
            )
        else:
            state = (
                f"may also apply, depending on {facts}" if facts else "would apply to another recommendation"
            )
        text.append(f"\n  {rule.id} {rule.title}: {state}")
    return text
