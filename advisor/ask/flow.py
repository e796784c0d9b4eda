"""The consultation itself: the interview, the summary of answers, the result and the menu after it.

Questions come in the order of ``questions.ORDER``; before each one the relevance
analysis (``advisor.engine.relevance``) decides whether it can still change the
recommendation, and those that cannot are skipped, saying why.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from rich.console import Console, Group, RenderableType
from rich.text import Text

from advisor.ask.casefile import advice_for
from advisor.ask.gaps import find_gaps
from advisor.ask.lines import read_line
from advisor.ask.menu import RESULT_MENU, MenuEntry, Next
from advisor.ask.parties import ask_parties
from advisor.ask.prompts import Option, Prompter, numbered
from advisor.ask.questions import (
    BACK,
    HELP,
    ORDER,
    UNKNOWN,
    WHY,
    Step,
    echo,
    offered,
    options,
    parse,
    said,
    scale_help,
    shown_questions,
    why_asked,
)
from advisor.ask.resume import save_for_later
from advisor.ask.saving import KeptForLater, NotSaved, save_case
from advisor.ask.session import Session
from advisor.engine import Engine, Recommendation, Relevance, analyse
from advisor.explain import how, plausible_query
from advisor.facts import (
    OPTIONAL_DEFAULTS,
    OPTIONAL_FACTS,
    Answer,
    FactValue,
    fact_label,
    grouping_of,
    scales,
)
from advisor.optional import show_defaulted
from advisor.output import printable
from advisor.render.consultation import gaps_report, summary_table
from advisor.render.terminal import advice, heading


class Consultation:
    """One consultation: asks what can still matter, concludes, and keeps what was typed."""

    go_on = "yes: show the recommendation"  # what accepting the answers leads to

    def __init__(
        self,
        session: Session,
        engine: Engine,
        prompter: Prompter,
        console: Console,
        *,
        menu: list[MenuEntry] | None = None,
        more: Callable[[str], str] | None = None,
    ):
        self.session, self.engine, self.kb = session, engine, engine.kb
        self.prompter, self.console = prompter, console
        self.more = more or read_line  # asked between the pages of a long screen
        self.menu = list(RESULT_MENU if menu is None else menu)
        self.announced: set[str] = set()  # facts already reported as skipped
        self.told_settled = False

    # --- the whole consultation -----------------------------------------------------------

    def run(self) -> int:
        """Interview, review, conclude; on Ctrl-C or end of input save what was typed. Return the status."""
        try:
            if not (self.session.is_prefilled() and self.accept_prefilled()):
                self.interview()
                self.review()
            self.conclude()
            self.finish()
        except (KeyboardInterrupt, EOFError):
            return save_for_later(self.session, self.console)
        except KeptForLater:
            return 0  # the answers are in the resume file the user chose: it is not removed
        except NotSaved:
            # the case file --save names could not be written: the answers go to a resume file
            # (or, failing that, to standard error), and the exit status says it went wrong
            save_for_later(self.session, self.console, why="The case file was not written.")
            return 1
        self.forget_resume()
        return 0

    def accept_prefilled(self) -> bool:
        """Offer to accept every pre-filled answer at once; return whether they were (and confirmed)."""
        self.console.print(self.summary(prefilled=True))
        entries = [
            Option("all", "yes: accept all these answers and show the recommendation", "yes", 1),
            Option("walk", "go through the questions one by one", "walk", 2),
            Option("edit", "accept them, but change one first", "change", 3),
        ]
        picked = self.prompter.select("Use these pre-filled answers?", entries, "all")
        if picked == "walk":
            return False
        self.session.accept_all()
        if picked == "edit":
            self.edit()
            self.interview()
            self.review()
        elif self.pending(self.relevance()):  # an optional fact the file leaves out can still matter
            self.say("The case file does not answer every question that can change the advice:", style="dim")
            self.interview()
        return True

    def forget_resume(self) -> None:
        """Delete the resume file this finished consultation continued: nothing is left to resume."""
        path = self.session.resume_path
        if path is not None and path.is_file():
            path.unlink()
            self.say(f"The consultation is finished; removed its resume file {path}.", style="dim")

    def relevance(self, *, without: str | None = None) -> Relevance:
        """Analyse the answers so far (leaving one fact out, to judge that fact itself).

        A fact answered with several values is read as each of them, not as unknown.
        """
        known: dict[str, FactValue] = {k: v for k, v in self.session.answers.items() if k != without}
        if self.session.parties:
            known["grouping"] = grouping_of(self.session.parties)  # derived, as for a case file
        several = {k: v for k, v in self.session.contested.items() if k != without}
        return analyse(known, self.kb, several)

    # --- the interview --------------------------------------------------------------------

    def interview(self) -> None:
        """Ask the parties, then each question that can still change the recommendation, in order."""
        while True:
            if not self.session.parties:
                ask_parties(self.session, self.prompter.text, self.say)
                continue
            rel = self.relevance()
            fact = next(iter(self.pending(rel)), None)
            self.tell_skipped(rel, fact)
            if fact is None:
                return
            self.header(fact, rel)
            reply = self.ask(fact)
            if reply is Step.BACK:
                self.back()
            else:
                self.record(fact, reply)

    def pending(self, rel: Relevance) -> list[str]:
        """Return the unanswered questions that can still change the recommendation, in order."""
        return [f for f in ORDER if not self.session.answered(f) and rel.status(f) == "decisive"]

    def ask(
        self, fact: str, *, unknown: bool = True, back: str | None = "the previous question"
    ) -> Answer | Step:
        """Ask one question until it gets an answer; show why it is asked, or help, on request."""
        rel = self.relevance(without=fact)
        menu = options(fact, self.console.width, unknown=unknown, back=back)
        start = offered(fact, self.session.default(fact), self.session.offers_unknown(fact))
        question = "\n".join(textwrap.wrap(scales()[fact].question, max(30, self.console.width - 4)))
        while True:
            picked = self.prompter.select(question, menu, start)
            if picked == WHY:
                self.show(why_asked(fact, self.kb, rel))
            elif picked == HELP:
                self.show(scale_help(fact))
            elif picked == UNKNOWN:
                return Step.UNKNOWN
            elif picked == BACK:
                return Step.BACK
            else:
                return parse(fact, picked)

    def record(self, fact: str, reply: Answer | Step) -> None:
        """Keep an answer (a value, several values, or unknown) and echo it."""
        value = None if reply is Step.UNKNOWN else reply
        assert not isinstance(value, Step)
        self.session.answer(fact, value)
        self.console.print(echo(fact, value))

    def back(self) -> None:
        """Withdraw the latest answer (or the parties' names), so that it is asked again."""
        fact = self.session.take_back()
        if fact is None:
            self.session.take_back_parties()
        where = f"the question on {fact_label(fact)}" if fact else "the names of the parties"
        self.say(f"← back to {where}", style="dim")

    def header(self, fact: str, rel: Relevance) -> None:
        """Print the number of the question and how many more can still matter."""
        more = len(self.pending(rel)) - 1
        text = Text(f"\nQuestion {len(self.session.history) + 1} · {fact_label(fact)}", style="bold")
        text.append(f"  (at most {more} more)" if more else "  (the last that can matter)", style="dim")
        text.append(f"  [{fact}]", style="dim")
        self.console.print(text)

    def tell_skipped(self, rel: Relevance, upto: str | None) -> None:
        """Report, once each, the questions skipped before the next one, and why."""
        self.announced = {f for f in self.announced if rel.status(f) != "decisive"}
        if rel.settled is None:
            self.told_settled = False
        elif not self.told_settled:
            self.told_settled = True
            self.say(
                "Your answers so far settle the recommendation: no answer to the remaining "
                "questions could change it.",
                style="bold",
            )
        for fact in ORDER[: ORDER.index(upto) if upto else len(ORDER)]:
            if self.session.answered(fact) or fact in self.announced or fact in OPTIONAL_FACTS:
                continue  # an optional fact not asked keeps its default: nothing to report
            self.announced.add(fact)
            line = Text(f"skipped: {fact_label(fact)}", style="bold").append(
                f" — {rel.reason(fact, self.kb)}", style="dim"
            )
            kept = self.session.suggested.get(fact)
            if kept is not None:
                line.append(f"; keeping the pre-filled answer {said(fact, kept)}", style="dim")
            self.console.print(line)

    # --- the summary ----------------------------------------------------------------------

    def review(self) -> None:
        """Show all the answers in a table until the user is content; any answer can be changed."""
        entries = [
            Option("go", self.go_on, "yes", 1),
            Option("edit", "change an answer", "change", 2),
            Option(BACK, "the last question again", "?back"),
        ]
        while True:
            self.console.print(self.summary())
            picked = self.prompter.select("Are these answers right?", entries, "go")
            if picked == "go":
                return
            if picked == "edit":
                self.edit()
            else:
                self.back()
            self.interview()

    def summary(self, *, prefilled: bool = False) -> RenderableType:
        """Return the summary of the answers, laid out for this terminal's width."""
        rel = self.relevance()
        return summary_table(self.session, rel, self.kb, prefilled=prefilled, width=self.console.width)

    def edit(self) -> None:
        """Let the user pick any answer, or the parties' names, and give it again."""
        width = max(len(fact_label(f)) for f in ORDER) + 2
        names = printable(" / ".join(self.session.parties))
        entries: list[Option | None] = [Option(":parties", f"{'parties':<{width}} {names}", "parties")]
        entries += [
            Option(f, f"{fact_label(f):<{width}} {self.shown(f)}", f, n, (fact_label(f),))
            for n, f in enumerate(shown_questions(grouping_of(self.session.parties)), start=1)
        ]
        entries += [None, Option(BACK, "change nothing", "?back")]
        hint = "Type the number of an answer in the summary, or its name, then Enter."
        picked = self.prompter.select("Which answer do you want to change?", entries, None, hint)
        if picked == ":parties":
            self.session.take_back_parties()
            ask_parties(self.session, self.prompter.text, self.say)
        elif picked != BACK:
            self.say(f"Changing: {fact_label(picked)}", style="bold")
            reply = self.ask(picked, back="keep the answer as it was")
            if reply is not Step.BACK:
                self.record(picked, reply)

    def shown(self, fact: str) -> str:
        """Return an answer as the summary shows it."""
        if fact in self.session.unknown:
            return "unknown"
        value = self.session.default(fact)
        if value is None and fact in OPTIONAL_DEFAULTS:
            return show_defaulted(fact)
        return "— (not asked)" if value is None else said(fact, value)

    # --- the result -----------------------------------------------------------------------

    def conclude(self) -> Recommendation:
        """Show the recommendation, then the menu, until the user quits; return the last recommendation."""
        while True:
            rec = advice_for(self.session, self.engine)
            self.show_result(rec)
            if self.after(rec) == "quit":
                return rec

    def show_result(self, rec: Recommendation) -> None:
        """Print the outcome panel, the reasons and cautions, the chain as a tree, and what rests on gaps."""
        from advisor.precedents import precedents

        title = heading(None, None, self.session.parties)
        near = precedents(plausible_query(rec), exclude=self.session.about.get("id"), kb=self.engine.kb)
        shown: list[RenderableType] = [
            advice(rec, how(rec), title=title, trace_hint="the menu shows them all", precedents=near)
        ]
        gaps = gaps_report(find_gaps(self.session, rec, self.engine))
        if gaps is not None:
            shown.append(gaps)
        self.show(Group(*shown))

    def after(self, rec: Recommendation) -> Next:
        """Offer the result menu until an entry asks to re-run or to quit."""
        entries = numbered([title for title, _ in self.menu])
        while True:
            picked = self.prompter.select("What next?", entries, None, "Type a number, then Enter.")
            step = self.menu[int(picked)][1](self, rec)
            if step != "stay":
                return step

    def finish(self) -> None:
        """End the consultation: write the case file asked for with --save, if any."""
        if self.session.save is not None and save_case(self, self.session.save, at_end=True):
            rec = advice_for(self.session, self.engine)
            self.say(f"With the answers just given, the recommendation is {rec.label}.", style="bold")

    def show(self, renderable: RenderableType) -> None:
        """Print a screen; in a terminal too short for it, a page at a time, asking between pages."""
        console = self.console
        page = console.height - 2
        if not console.is_terminal or page < 5:
            console.print(renderable)
            return
        with console.capture() as capture:
            console.print(renderable)
        lines = capture.get().splitlines(keepends=True)
        for start in range(0, len(lines), page):
            console.file.write("".join(lines[start : start + page]))
            console.file.flush()
            left = len(lines) - start - page
            if left <= 0:
                return
            reply = self.more(f"-- {left} more line(s): Enter to go on, q to skip --")
            if reply.strip().lower().startswith("q"):
                return

    def say(self, message: str, style: str = "") -> None:
        """Print one message; whatever it quotes is shown as typed, never read as markup."""
        self.console.print(Text(message, style=style))
