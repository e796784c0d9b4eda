"""Settling the signal rules of ``masks`` a group of rules at a time, where the engine's order allows it.

``masks`` reads the rules with signal conditions, and those that declare a signal (its
*steps*), one by one in the engine's order. When every signal's declarers come before
each of its readers (the order of ``logic.plan`` gives that whenever it can read a
stratum in one pass), a step reads only signals that are settled by its turn, so that

* a step without signal conditions fires as it holds (and declares its signal);
* a step with conditions that declares nothing fires as the signals present at the end allow;
* only the few steps with conditions that declare a signal need reading one by one.

The signals that a set of the first kind declares, and the steps of the second kind
that a set of signals blocks, are read from tables, a byte of the mask at a time. Each
answer is the one-by-one reading's (the tests hold the two equal).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

# A rule with signal conditions, or one that declares a signal, read in the engine's order:
# (its bit, the signals it needs, the signals that must be absent, the signal it declares or 0),
# the signals as signal bits. Plain tuples: this is the inner loop.
Step = tuple[int, int, int, int]
Table = tuple[tuple[int, tuple[int, ...]], ...]  # (shift, what each value of the mask's byte there means)


@dataclass(frozen=True)
class Ordered:
    """The steps of a rule base whose every signal is declared before it is read (see the module's text)."""

    plain: int  # the steps without signal conditions (each declares a signal)
    declared: Table  # the signals declared by a set of plain steps, a byte of it at a time
    chained: tuple[Step, ...]  # the steps with conditions that declare a signal, in the engine's order
    checked: int  # the steps with conditions that declare nothing
    blocked: Table  # the checked steps that the signals present (a byte of them at a time) block

    def settle(self, holds: int) -> int:
        """Return the steps that fire, given those whose fact conditions hold (``Masks._settle``)."""
        plain = holds & self.plain
        present = 0
        for shift, table in self.declared:
            present |= table[plain >> shift & 255]
        fired = plain
        for bit, needs, without, declares in self.chained:
            if holds & bit and present & needs == needs and not present & without:
                fired |= bit
                present |= declares
        blocked = 0
        for shift, table in self.blocked:
            blocked |= table[present >> shift & 255]
        return fired | holds & self.checked & ~blocked


def read_at_once(steps: list[Step]) -> Ordered | None:
    """Return the steps to read at once, or None when a step comes before a declarer of a signal it reads."""
    for bit, needs, without, _ in steps:
        if any(declares & (needs | without) and other >= bit for other, _, _, declares in steps):
            return None
    plain = {step[0]: step[3] for step in steps if not step[1] | step[2]}
    checked = [step for step in steps if step[1] | step[2] and not step[3]]
    read = _bits(_all(c[1] | c[2] for c in checked))
    needed = {s: _all(c[0] for c in checked if c[1] & s) for s in read}  # blocked unless s is present
    barred = {s: _all(c[0] for c in checked if c[2] & s) for s in read}  # blocked if s is present
    return Ordered(
        plain=_all(plain),
        declared=_tables(plain, {}),
        chained=tuple(step for step in steps if step[1] | step[2] and step[3]),
        checked=_all(c[0] for c in checked),
        blocked=_tables(barred, needed),
    )


def _tables(present: dict[int, int], absent: dict[int, int]) -> Table:
    """Return the tables of the OR, over the bits of a mask, of ``present``'s value for each bit set and
    ``absent``'s for each bit not set, a byte of the mask at a time (other bits count for nothing)."""
    mask = _all(present) | _all(absent)
    tables = []
    for shift in range(0, mask.bit_length(), 8):
        if mask >> shift & 255:
            on, off = [0] * 256, [0] * 256  # by byte: the OR of present's, and of absent's, for its bits
            for byte in range(1, 256):
                low = byte & -byte
                on[byte] = on[byte ^ low] | present.get(low << shift, 0)
                off[byte] = off[byte ^ low] | absent.get(low << shift, 0)
            tables.append((shift, tuple(on[byte] | off[255 ^ byte] for byte in range(256))))
    return tuple(tables)


def _bits(mask: int) -> list[int]:
    """Return the bits set in a mask, lowest first, each as a mask of its own."""
    return [1 << i for i in range(mask.bit_length()) if mask >> i & 1]


def _all(bits: Iterable[int]) -> int:
    """Return the OR of masks."""
    return reduce(lambda a, b: a | b, bits, 0)


__all__ = ["Ordered", "Step", "read_at_once"]
