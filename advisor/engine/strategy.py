"""How the compiled engine picks the next rule and matches facts: experta's, cheaper and deterministic."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Mapping
from typing import Any, ClassVar

from advisor._experta import (
    ChildNode,
    ConflictSetNode,
    Fact,
    FactList,
    FeatureCheck,
    FeatureTesterNode,
    NoMemory,
    NotNode,
    OrdinaryMatchNode,
    ReteMatcher,
    Strategy,
    Token,
    TypeCheck,
    watchers,
)

VALID, INVALID = Token.TagType.VALID, Token.TagType.INVALID


class DepthFirst(Strategy):  # type: ignore[misc]
    """Experta's depth strategy -- salience first, then the newest facts -- with cheap removals.

    experta's own DepthStrategy finds an activation to remove by full equality
    (context, facts, rule), which dominates a run of this rule base; removal here
    compares only the rule and the fact ids. experta also leaves ties (same
    salience, same facts) to the iteration order of hash-based sets, which varies
    between processes; here the rule written first in the knowledge base fires
    first, so that the same input gives the same trace every time.
    """

    order: ClassVar[dict[str, int]] = {}  # rule name -> position in the knowledge base

    def key(self, activation: Any) -> tuple[int, list[int], int]:
        """Rank an activation: higher salience, then more recent facts, then file order."""
        ids = sorted((f["__factid__"] for f in activation.facts), reverse=True)
        return (activation.rule.salience, ids, -self.order.get(activation.rule.__name__, 0))

    def _update_agenda(self, agenda: Any, added: Any, removed: Any) -> None:
        queue = agenda.activations
        for act in removed:
            act.key = self.key(act)
            i = bisect.bisect_left(queue, act)
            while i < len(queue) and queue[i].key == act.key:
                if queue[i].rule is act.rule and queue[i].facts == act.facts:
                    del queue[i]
                    break
                i += 1
        for act in added:
            act.key = self.key(act)
            bisect.insort(queue, act)


class LeanFactList(FactList):  # type: ignore[misc]
    """experta's fact list, with ``declare`` written out: the same checks and the same identity of a fact.

    A fact is refused when one equal to it (same class, same fields) is already
    declared; experta builds that identity calling a method per field, and formats
    its log line whether or not anyone watches the facts.
    """

    def declare(self, fact: Any) -> Any:
        """Add a fact unless an equal one is declared; return it, or None when refused."""
        if not isinstance(fact, Fact):
            raise ValueError("The fact must descend the Fact class.")
        fact.validate()
        fact_id = frozenset(
            [
                fact.__class__,
                *(
                    (k, v)
                    for k, v in fact.items()
                    if not (isinstance(k, str) and k.startswith("__") and k.endswith("__"))
                ),
            ]
        )
        if not self.duplication and fact_id in self.reference_counter:
            return None
        idx = self.last_index
        fact.__factid__ = idx
        self[idx] = fact
        self.last_index += 1
        self.added.append(fact)
        self.reference_counter[fact_id] += 1
        if watchers.FACTS.isEnabledFor(logging.INFO):  # pragma: no cover
            watchers.FACTS.info(" ==> %s: %r", fact, fact)
        return fact


class LeanRete(ReteMatcher):  # type: ignore[misc]
    """experta's Rete matcher with three loops tightened; the network and its semantics are untouched.

    ``reset`` clears each node once (experta walks shared nodes once per parent),
    ``changes`` collects activations only from the conflict-set nodes a token
    reached since the last call (experta asks every one of them each time), each
    feature test runs before its token is copied (see ``LeanTester``), and where a
    node has many children that each test one field (or the type) against a
    literal, a token goes only to those whose literal it carries (``Dispatch``):
    the others would have failed their test.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._touched: dict[Any, None] = {}  # conflict-set nodes reached since the last ``changes``
        self._memories = [node for node in self._nodes() if not isinstance(node, NoMemory)]
        for node in self._nodes():
            node.children[:] = Dispatch.group([self._lean(child) for child in node.children])

    def _lean(self, child: Any) -> Any:
        """Return a parent's link to ``child`` with the callback this matcher uses for it.

        experta copies a token on entry to every node because its feature tester
        updates the token's context in place; here no node changes a token it is
        given (``LeanTester`` makes a new one), so the nodes below share tokens.
        """
        node = child.node
        if type(node) is FeatureTesterNode:
            return ChildNode(node, LeanTester.activator(node))
        if type(node) is ConflictSetNode:
            touched, activate = self._touched, node._activate

            def noting(token: Any) -> None:
                touched[node] = None
                activate(token)

            return ChildNode(node, noting)
        if type(node) in (OrdinaryMatchNode, NotNode):
            if child.callback == node.activate_left:
                return ChildNode(node, node._activate_left)
            if child.callback == node.activate_right:
                return ChildNode(node, node._activate_right)
        return child

    def reset(self) -> None:
        """Clear the memory of every node that has one, once each."""
        for node in self._memories:
            node._reset()

    def changes(self, adding: Any = None, deleting: Any = None) -> tuple[list[Any], list[Any]]:
        """Propagate fact changes and return the activations added and removed."""
        children = self.root_node.children
        for tag, facts in ((INVALID, deleting), (VALID, adding)):
            for fact in facts or ():
                token = tuple.__new__(Token, (tag, {fact}, {}))  # what BusNode builds, checked already
                for child in children:
                    child.callback(token)
        added: list[Any] = []
        removed: list[Any] = []
        touched = list(self._touched)
        self._touched.clear()
        for csn in touched:
            new, gone = csn.get_activations()
            added.extend(new)
            removed.extend(gone)
        return added, removed

    def _nodes(self) -> list[Any]:
        """Return every node of the network once, computed on first use."""
        if not hasattr(self, "_all_nodes"):
            seen: dict[int, Any] = {}
            pending = [self.root_node]
            while pending:
                node = pending.pop()
                if id(node) not in seen:
                    seen[id(node)] = node
                    pending += [child.node for child in node.children]
            self._all_nodes = list(seen.values())
        return self._all_nodes


class LeanTester:
    """A feature test that tests first and copies the token only when the test passes.

    experta's ``OneInputNode.activate`` copies every token before its test, and most
    tokens fail most tests (a ``Signal`` is tested against the name of every signal).
    The test reads only the token's one fact, so testing first is the same test; the
    rest is experta's ``FeatureTesterNode._activate``, unchanged.
    """

    @staticmethod
    def activator(node: Any) -> Any:
        """Return the callback that activates ``node`` (a FeatureTesterNode) test-first."""
        matcher, children = node.matcher, node.children

        def activate(token: Any) -> None:
            (fact,) = token.data
            match = matcher(fact)
            if not match:
                return
            if match is True:  # nothing bound: the token goes on as it is
                for child in children:
                    child.callback(token)
                return
            context = dict(token.context)
            if isinstance(match, Mapping):
                for key, value in match.items():
                    if isinstance(key, tuple):  # a negated binding
                        if key[1] in context and context[key[1]] == value:
                            return
                    elif context.get(key, value) != value or context.get((False, key), object()) == value:
                        return
                context.update(match)
            passed = tuple.__new__(Token, (token.tag, set(token.data), context))  # checked already
            for child in children:
                child.callback(passed)

        return activate


class Dispatch:
    """Children of one node that test the same field (or the type) against literals, looked up by value."""

    MISSING = object()

    @staticmethod
    def literal(node: Any) -> tuple[Any, Any] | None:
        """Return (what is read, the literal it must equal) for a node that tests just that, else None."""
        if type(node) is not FeatureTesterNode:
            return None
        check = node.matcher
        if type(check) is TypeCheck:
            return type, check.fact_type
        if (
            type(check) is FeatureCheck
            and check.check.__name__ == "equal_literal"
            and check.expected.__bind__ is None
            and isinstance(check.what, str)
            and "__" not in check.what
        ):
            try:
                hash(check.expected.value)
            except TypeError:
                return None
            return check.what, check.expected.value
        return None

    @classmethod
    def group(cls, children: list[Any]) -> list[Any]:
        """Return the children with each group of literal tests on one field replaced by a lookup."""
        tables: dict[Any, dict[Any, list[Any]]] = {}
        grouped: list[Any] = []
        for child in children:
            found = cls.literal(child.node)
            if found is None:
                grouped.append(child)
                continue
            what, value = found
            if what not in tables:
                tables[what] = {}
                grouped.append(ChildNode(child.node, cls.lookup(what, tables[what])))
            tables[what].setdefault(value, []).append(child.callback)
        return grouped

    @classmethod
    def lookup(cls, what: Any, table: dict[Any, list[Any]]) -> Any:
        """Return a callback sending a token only to the children whose literal its fact carries."""
        missing = cls.MISSING

        def send(token: Any) -> None:
            (fact,) = token.data
            value = type(fact) if what is type else fact.get(what, missing)
            try:
                callbacks = table.get(value, ())
            except TypeError:  # an unhashable value equals no literal of the table
                callbacks = ()
            for callback in callbacks:
                callback(token)

        return send
