"""How a token enters each node of experta's Rete network, written lean (``strategy.LeanRete`` links them).

Each function returns the callback a parent calls to activate one node. Each does
what experta's node does, with the same memory and the same results, except that

* no node copies the token it is given: experta copies a token on entry to every
  node because its feature tester adds its bindings to the token in place; here
  a feature test that binds makes a new token, and no node changes one it is given;
* the tokens and activations are built without re-checking what is known to hold
  (experta validates each argument of every token it builds);
* a watcher's log line is built only when the watcher is on (and a negation node, experta's
  own code before, is entered without experta's checks too);
* where a node has many children that each test one field (or the type) against
  a literal, a token goes only to the children of those whose literal it carries
  (``Dispatch``): the others would have failed their test, and for the one that
  passes, passing is all the test does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from advisor._experta import (
    Activation,
    ChildNode,
    FactCapture,
    FeatureCheck,
    FeatureTesterNode,
    Token,
    TokenInfo,
    TypeCheck,
    watchers,
)

VALID, INVALID = Token.TagType.VALID, Token.TagType.INVALID
Callback = Callable[[Any], None]


def _info(token: Any) -> Any:
    """Return ``token.to_info()``: its facts and context, frozen (a node's memory holds these)."""
    return tuple.__new__(TokenInfo, (frozenset(token.data), frozenset(token.context.items())))


def feature_tester(node: Any) -> Callback:
    """Activate a FeatureTesterNode: test the token's one fact, and pass it on with any bindings."""
    matcher, children = node.matcher, node.children
    if type(matcher) is FactCapture:
        return _capture(node)

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
        passed = tuple.__new__(Token, (token.tag, token.data, context))
        for child in children:
            child.callback(passed)

    return activate


def _capture(node: Any) -> Callback:
    """Activate a node that binds the token's fact to a name (``AS.name << Fact(...)``)."""
    bind, children, log = node.matcher.bind, node.children, watchers.MATCH

    def activate(token: Any) -> None:
        (fact,) = token.data
        if log.isEnabledFor(logging.INFO):  # pragma: no cover
            log.info("%r <= %s", bind, fact)
        context = token.context
        if bind in context and context[bind] != fact:
            return
        if (False, bind) in context and context[(False, bind)] == fact:
            return
        bound = dict(context)
        bound[bind] = fact
        passed = tuple.__new__(Token, (token.tag, token.data, bound))
        for child in children:
            child.callback(passed)

    return activate


def join(node: Any, left: bool, dirty: dict[Any, None]) -> Callback:
    """Activate one side of an OrdinaryMatchNode: remember the token, pair it with the other side's.

    A memory holds (facts, context) pairs, the token's own (no node changes them):
    experta keeps them frozen (``TokenInfo``), which costs a hash of every fact, and
    thaws each context again for every pairing. A node given a token is noted in
    ``dirty``, for the matcher's ``reset``.
    """
    matcher, children, log = node.matcher, node.children, watchers.MATCH

    def activate(token: Any) -> None:
        mine, others = (
            (node.left_memory, node.right_memory) if left else (node.right_memory, node.left_memory)
        )
        context, data = token.context, token.data
        if token.tag is VALID:
            mine.append((data, context))
            dirty[node] = None
        else:
            for i, (held, held_context) in enumerate(mine):
                if held == data and held_context == context:
                    del mine[i]
                    break
        for other_data, other_context in others:
            pair = (context, other_context) if left else (other_context, context)
            if not matcher(*pair):
                if log.isEnabledFor(logging.DEBUG):  # pragma: no cover
                    log.debug("%s (%s | %s) = False", type(node).__name__, *pair)
                continue
            if log.isEnabledFor(logging.INFO):  # pragma: no cover
                log.info("%s (%s | %s) = True", type(node).__name__, *pair)
            joined = {k: v for k, v in context.items() if isinstance(k, str)}
            for k, v in other_context.items():
                if not isinstance(k, tuple):  # a negated binding is not needed any further
                    joined[k] = v
            passed = tuple.__new__(Token, (token.tag, data | other_data, joined))
            for child in children:
                child.callback(passed)

    return activate


def negation(node: Any, left: bool) -> Callback:
    """Activate one side of a NotNode: experta's ``_activate_left`` / ``_activate_right``, the lean way.

    The memories are experta's (left: the tokens' infos with their count of matching right
    tokens; right: the right tokens' infos); a token goes on, or is withdrawn, exactly when
    experta's node sends it.
    """
    matcher, children = node.matcher, node.children

    def activate_left(token: Any) -> None:
        info, valid = _info(token), token.tag is VALID
        if not node.right_memory:  # nothing to match: remembered, and passed on, at once
            if valid:
                node.left_memory[info] = 0
            else:
                del node.left_memory[info]
            for child in children:
                child.callback(token)
            return
        count = 0
        for _, right_context in node.right_memory:
            if matcher(token.context, dict(right_context)):
                count += 1
                if not valid:
                    break
        if count == 0:
            for child in children:
                child.callback(token)
        if valid:
            node.left_memory[info] = count
        else:
            del node.left_memory[info]

    def activate_right(token: Any) -> None:
        info = _info(token)
        if token.tag is VALID:
            node.right_memory.append(info)
            inc = 1
        else:
            node.right_memory.remove(info)
            inc = -1
        held = node.left_memory
        for waiting in held:
            if matcher(dict(waiting.context), token.context):
                held[waiting] += inc
                if held[waiting] == (0 if inc == -1 else 1):  # its first match came, or its last went
                    tag = VALID if inc == -1 else INVALID
                    passed = tuple.__new__(Token, (tag, set(waiting.data), dict(waiting.context)))
                    for child in children:
                        child.callback(passed)

    return activate_left if left else activate_right


def conflict_set(
    node: Any, pending: dict[Any, tuple[list[Any], list[Any]]], dirty: dict[Any, None]
) -> Callback:
    """Activate a ConflictSetNode: a rule's activation appears (valid token) or goes (invalid token).

    The activations since the last look are kept in ``pending`` (node -> added,
    removed), where the matcher collects them from the nodes a token reached; a
    node that remembers a token is noted in ``dirty``, for the matcher's ``reset``.
    """
    rule, new = node.rule, object.__new__

    def activate(token: Any) -> None:
        info = _info(token)
        memory = node.memory
        if token.tag is VALID:
            if info in memory:
                return
            memory.add(info)
            dirty[node] = None
        else:
            memory.remove(info)
        activation = new(Activation)  # Activation(rule, info.data, context), without a call
        activation.rule, activation.facts, activation.key = rule, set(info.data), None
        activation.context = {k: v for k, v in token.context.items() if isinstance(k, str)}
        added, removed = pending.get(node) or pending.setdefault(node, ([], []))
        appeared, cancelled = (added, removed) if token.tag is VALID else (removed, added)
        if activation in cancelled:
            cancelled.remove(activation)
        else:
            appeared.append(activation)

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
            and not check.what.isnumeric()
        ):
            try:
                hash(check.expected.value)
            except TypeError:
                return None
            return check.what, check.expected.value
        return None

    @classmethod
    def group(cls, children: list[Any]) -> list[Any]:
        """Return the children with each group of literal tests on one field replaced by a lookup.

        The table sends a token to the children of the nodes whose literal it
        carries (their ``children`` lists, which the matcher relinks in place).
        """
        tables: dict[Any, dict[Any, list[list[Any]]]] = {}
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
            tables[what].setdefault(value, []).append(child.node.children)
        return grouped

    @classmethod
    def lookup(cls, what: Any, table: dict[Any, list[list[Any]]]) -> Callback:
        """Return a callback sending a token only to the children of the tests its fact passes."""
        missing = cls.MISSING

        def send(token: Any) -> None:
            (fact,) = token.data
            value = type(fact) if what is type else fact.get(what, missing)
            try:
                passed = table.get(value, ())
            except TypeError:  # an unhashable value equals no literal of the table
                passed = ()
            for children in passed:
                for child in children:
                    child.callback(token)

        return send
