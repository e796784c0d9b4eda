"""How the compiled engine picks the next rule and matches facts: experta's, cheaper and deterministic."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from operator import attrgetter, itemgetter
from typing import Any, ClassVar

from advisor._experta import (
    ChildNode,
    ConflictSetNode,
    Fact,
    FactList,
    FeatureTesterNode,
    NoMemory,
    NotNode,
    OrdinaryMatchNode,
    ReteMatcher,
    Strategy,
    Token,
    watchers,
)
from advisor.engine import network


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
        ids = sorted(map(_FACT_ID, activation.facts), reverse=True)
        return (activation.rule.salience, ids, -self.order.get(activation.rule.__name__, 0))

    def _update_agenda(self, agenda: Any, added: Any, removed: Any) -> None:
        # activations compare by key (Activation.__lt__); bisect reads the keys itself
        queue = agenda.activations
        ranks = self.__dict__.setdefault("_ranks", {})  # id(rule) -> (rule, its salience, its place negated)
        for act in removed:
            act.key = self.key(act)
            i = bisect.bisect_left(queue, act.key, key=_KEY)
            while i < len(queue) and queue[i].key == act.key:
                if queue[i].rule is act.rule and queue[i].facts == act.facts:
                    del queue[i]
                    break
                i += 1
        for act in added:  # act.key = self.key(act), each rule's part of it read once
            rule = act.rule
            rank = ranks.get(id(rule))
            if rank is None or rank[0] is not rule:
                rank = ranks[id(rule)] = (rule, rule.salience, -self.order.get(rule.__name__, 0))
            act.key = (rank[1], sorted(map(_FACT_ID, act.facts), reverse=True), rank[2])
            bisect.insort(queue, act, key=_KEY)


_FACT_ID = itemgetter("__factid__")
_KEY = attrgetter("key")


class LeanFactList(FactList):  # type: ignore[misc]
    """experta's fact list, with declaring written out: the same checks, and the same facts refused.

    A fact is refused when one equal to it (same class, same fields but the special
    ones, such as ``__factid__``) is already declared. ``declare_built`` takes the
    facts the compiler builds (``types.fresh``): none has a field to validate or a
    special field, so that it is not searched for one; the log line of a fact
    is formatted only when someone watches the facts; and a fact's hash (experta's
    ``Fact.__hash__`` caches it on first use, after a costly missed attribute) is set as it is added.

    That hash is the hash of the fact's id in the list, not of all its fields (experta's): two
    declared facts are equal only when their fields, ``__factid__`` among them, are, so that equal
    facts still hash alike, and no result depends on the order of a set of facts (the agenda
    orders activations by fact id).
    """

    last_index: int

    @staticmethod
    def _get_fact_id(fact: Any) -> tuple[type, frozenset[Any]]:
        """Return what makes a fact the same as another: its class and its fields but the special ones."""
        return fact.__class__, frozenset((k, v) for k, v in fact.items() if not Fact.is_special(k))

    def declare(self, fact: Any) -> Any:
        """Add a fact unless an equal one is declared; return it, or None when refused."""
        if not isinstance(fact, Fact):
            raise ValueError("The fact must descend the Fact class.")
        fact.validate()
        fact_id = self._get_fact_id(fact)
        if not self.duplication and fact_id in self.reference_counter:
            return None
        self._add(fact, fact_id, watchers.FACTS.isEnabledFor(logging.INFO))
        return fact

    def declare_built(self, facts: Sequence[Any], ids: Sequence[Any] | None = None) -> None:
        """Declare facts the compiler built (no field to validate, none special), unless declared already.

        ``ids``, when given, holds each fact's ``_get_fact_id`` (the compiler's own conclusions know theirs).
        """
        counter, duplication, added = self.reference_counter, self.duplication, self.added
        watched = watchers.FACTS.isEnabledFor(logging.INFO)
        setitem = dict.__setitem__
        for i, fact in enumerate(facts):  # each added as ``_add`` adds it, written out: the inner loop
            fact_id = (fact.__class__, frozenset(fact.items())) if ids is None else ids[i]
            count = counter.get(fact_id, 0)
            if duplication or not count:
                idx = self.last_index
                setitem(fact, "__factid__", idx)  # Fact.__factid__'s setter
                if "_hash" not in fact.__dict__:
                    fact._hash = hash(idx)
                self[idx] = fact
                self.last_index = idx + 1
                added.append(fact)
                counter[fact_id] = count + 1
                if watched:  # pragma: no cover
                    watchers.FACTS.info(" ==> %s: %r", fact, fact)

    def _add(self, fact: Any, fact_id: Any, watched: bool) -> None:
        idx = self.last_index
        dict.__setitem__(fact, "__factid__", idx)  # Fact.__factid__'s setter
        if "_hash" not in fact.__dict__:  # what Fact.__hash__ returns, set without its miss (see the class)
            fact._hash = hash(idx)
        self[idx] = fact
        self.last_index = idx + 1
        self.added.append(fact)
        self.reference_counter[fact_id] = self.reference_counter.get(fact_id, 0) + 1
        if watched:  # pragma: no cover
            watchers.FACTS.info(" ==> %s: %r", fact, fact)


class LeanRete(ReteMatcher):  # type: ignore[misc]
    """experta's Rete matcher, its network and semantics untouched, each node entered the lean way.

    The network is experta's; each link from a parent to a child is relinked to
    the callback of ``advisor.engine.network`` for the child's kind (see there what
    is left out). ``reset`` clears each node once (experta walks shared nodes once
    per parent), and only those a token was left in since the last reset, and
    ``changes`` collects activations only from the conflict-set nodes a token
    reached since the last call (experta asks every one of them).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: dict[Any, tuple[list[Any], list[Any]]] = {}  # conflict-set node -> added, removed
        # the nodes with a memory: those a lean callback notes when it fills them, and the others
        self._dirty: dict[Any, None] = {}
        self._always: dict[Any, None] = {}
        for node in self._nodes():
            node.children[:] = network.Dispatch.group([self._lean(child) for child in node.children])
        self._dirty.update((node, None) for node in self._nodes() if not isinstance(node, NoMemory))

    def _lean(self, child: Any) -> Any:
        """Return a parent's link to ``child`` with the callback this matcher uses for it."""
        node, kind = child.node, type(child.node)
        if kind is FeatureTesterNode:
            return ChildNode(node, network.feature_tester(node))
        if kind is ConflictSetNode:
            return ChildNode(node, network.conflict_set(node, self._pending, self._dirty))
        if kind is OrdinaryMatchNode and child.callback == node.activate_left:
            return ChildNode(node, network.join(node, True, self._dirty))
        if kind is OrdinaryMatchNode and child.callback == node.activate_right:
            return ChildNode(node, network.join(node, False, self._dirty))
        if not isinstance(node, NoMemory):
            self._always[node] = None  # filled without being noted (negation nodes): cleared at every reset
        if kind is NotNode and child.callback == node.activate_left:
            return ChildNode(node, network.negation(node, True))  # it changes no token: no copy
        if kind is NotNode and child.callback == node.activate_right:
            return ChildNode(node, network.negation(node, False))
        return child

    def reset(self) -> None:
        """Clear the memory of every node that has something in it, once each."""
        for nodes in (self._dirty, self._always):
            for node in nodes:
                node._reset()
        self._dirty.clear()

    def memories(self) -> dict[Any, tuple[Any, ...]]:
        """Return a copy of every memory with something in it (node -> its memory's parts)."""
        return {node: _copied(node) for nodes in (self._dirty, self._always) for node in nodes}

    def restore(self, memories: dict[Any, tuple[Any, ...]]) -> None:
        """Clear every memory, then give the nodes of ``memories`` (from ``memories()``) a copy of theirs.

        A node of ``memories`` is not cleared first: a node's ``_reset`` sets just the memories given here.
        """
        for nodes in (self._dirty, self._always):
            for node in nodes:
                if node not in memories:  # its ``_reset``, written out for the commonest nodes
                    kind = type(node)
                    if kind is ConflictSetNode:
                        node.memory = set()
                    elif kind is OrdinaryMatchNode:
                        node.left_memory, node.right_memory = [], []
                    else:
                        node._reset()
        self._dirty.clear()
        for node, parts in memories.items():  # _copies(parts), written out
            if type(node) is ConflictSetNode:
                node.memory = parts[0].copy()
            else:
                node.left_memory, node.right_memory = parts[0].copy(), parts[1].copy()
            if node not in self._always:
                self._dirty[node] = None

    def changes(self, adding: Any = None, deleting: Any = None) -> tuple[list[Any], list[Any]]:
        """Propagate fact changes and return the activations added and removed."""
        children = self.root_node.children
        for fact in deleting or ():  # the tokens BusNode builds, built without re-checking them
            token = tuple.__new__(Token, (network.INVALID, {fact}, {}))
            for child in children:
                child.callback(token)
        for fact in adding or ():
            token = tuple.__new__(Token, (network.VALID, {fact}, {}))
            for child in children:
                child.callback(token)
        added: list[Any] = []
        removed: list[Any] = []
        for new, gone in self._pending.values():
            added += new
            removed += gone
        self._pending.clear()
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


def _copied(node: Any) -> tuple[Any, ...]:
    """Return a copy of a node's memory: a conflict set's, or the left and right ones of a two-input node."""
    if type(node) is ConflictSetNode:
        return _copies((node.memory,))
    return _copies((node.left_memory, node.right_memory))


def _copies(parts: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return a shallow copy of each part of a memory (what they hold is never changed)."""
    return tuple(part.copy() for part in parts)
