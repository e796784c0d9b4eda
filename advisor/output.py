"""Everything the advisor writes: to the terminal, to standard output, and to files.

Case ids, titles, party names, rule titles and file names come from files other
people wrote. On a terminal, a control character in them would be obeyed (clear
the screen, move the cursor, set the window title, write the clipboard), and a
newline in a one-line field could plant a forged line in a report. So:

- ``printable`` escapes C0 and C1 controls, bidirectional overrides, line
  separators and lone surrogates visibly (``\\x1b``, ``\\u202e``); in one-line
  fields newlines too;
- ``install`` makes rich do the same to every text it is given (before it lays
  out a table, so the widths stay right), keeping the newlines it needs;
- ``spreadsheet_cell`` escapes them in a CSV text cell, and makes a cell that a
  spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
  return first) plain text with a leading ``'``;
- ``json_text`` escapes them in JSON (where they are already harmless strings,
  but may not reach a terminal raw);
- ``setup_streams`` makes standard output and standard error never fail on a
  character the encoding lacks (ASCII fallback), and turns a write that fails into
  ``OutputError`` naming the stream;
- ``write_atomically`` writes files all at once: a full disk never leaves half of
  a file in place of the previous good one.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import IO, Any, TextIO, cast

from advisor import json_indented

MIN_WIDTH = 60  # COLUMNS=0 or 5 would leave tables no room; tables of several text columns need 60

# Bidirectional controls and line/paragraph separators: they reorder or break what is shown.
_INVISIBLE_FORMAT = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]


def _escape(code: int) -> str:
    """Return the visible escape of one code point (a lone surrogate from a file name shows its byte)."""
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_INVISIBLE_FORMAT]
_SURROGATES = range(0xD800, 0xE000)
ONE_LINE = {code: _escape(code) for code in (*_CONTROLS, *_SURROGATES)}  # str.translate table
MULTI_LINE = {code: text for code, text in ONE_LINE.items() if code not in (0x09, 0x0A)}
_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
ONE_LINE.update(_NAMED)
MULTI_LINE[0x0D] = "\\r"


def printable(text: str, *, one_line: bool = True) -> str:
    """Return text safe to show on a terminal: every control character visibly escaped.

    With ``one_line`` (ids, titles, names, file names, messages) newlines and tabs
    are escaped too; without, they are kept.
    """
    return text.translate(ONE_LINE if one_line else MULTI_LINE)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """Return text for a CSV cell: control characters visibly escaped, never read as a formula.

    A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or
    carriage return before one) as a formula; such a cell gets a leading ``'`` (OWASP's advice).
    """
    cell = printable(text)
    return "'" + cell if text.startswith(FORMULA_STARTS) or cell.startswith(FORMULA_STARTS) else cell


def install() -> None:
    """Make rich escape control characters in every text it renders, instead of passing them on.

    rich already strips a few (BEL, backspace, CR) in one place, ``rich.control``'s
    table, before measuring text; widening that table makes every ``Text``,
    table cell, panel title and tree label safe. rich's own styling and cursor
    control codes do not pass through it.
    """
    from rich import control

    control._CONTROL_STRIP_TRANSLATE.update(MULTI_LINE)


def console(*, stderr: bool = False, min_width: int = MIN_WIDTH) -> Any:
    """Return a rich Console for standard output (or error): no highlighting, at least ``min_width``
    wide (MIN_WIDTH, but 40 for the outputs laid out for a narrow terminal: ``render.narrow``)."""
    from rich.console import Console

    install()
    if stderr or sys.stdout.isatty():
        out = Console(highlight=False, stderr=stderr)
    else:  # piped: lines lose the blanks rich pads them with
        out = Console(highlight=False, file=cast("IO[str]", TrimmedLines(sys.stdout)))
    if out.width < min_width:
        out.width = min_width
    return out


class TrimmedLines:
    """A text stream that writes each line without trailing blanks (styles at its end are kept)."""

    _TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$")

    def __init__(self, stream: Any):
        self.stream, self.pending = stream, ""

    def write(self, text: str) -> int:
        """Write the complete lines of what was written so far; keep the last partial line."""
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        if lines:
            self.stream.write("".join(self._TRAILING.sub(r"\1", line) + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        """Write any partial line and flush the stream."""
        if self.pending:
            self.stream.write(self._TRAILING.sub(r"\1", self.pending))
            self.pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        """Return False: this stream is used only when standard output is not a terminal."""
        return False

    def fileno(self) -> int:
        """Return the file descriptor of the underlying stream."""
        return int(self.stream.fileno())


def error(message: str) -> None:
    """Write ``advisor: MESSAGE`` as one line on standard error, control characters escaped."""
    try:
        sys.stderr.write(f"advisor: {printable(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # nowhere left to say it; the exit status still tells


# --- JSON ----------------------------------------------------------------------------------


def json_text(data: Any) -> str:
    """Return indented JSON, with controls, bidi overrides and surrogates as \\u escapes.

    Non-ASCII text stays as it is, unless standard output cannot encode it.
    """
    text = json_indented.dumps(data, ensure_ascii=not stdout_is_unicode())  # json.dumps(data, indent=2, ...)
    return text.translate(_JSON_ESCAPES)


_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in (*range(0x7F, 0xA0), *_INVISIBLE_FORMAT, *_SURROGATES)}


def stdout_is_unicode() -> bool:
    """Return whether standard output's encoding can carry every character."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    return codecs.lookup(encoding).name.startswith("utf")


# --- the standard streams ------------------------------------------------------------------


class OutputError(Exception):
    """Writing to standard output failed (closed, full); the message names the stream and why."""


_ASCII = {  # what a terminal without Unicode shows instead
    "\u2713": "+",  # check mark
    "\u2717": "x",  # ballot x
    "\u2022": "*",  # bullet
    "\u26a0": "!",  # warning sign
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u00b7": ".",  # middle dot
    "\u2026": "...",  # horizontal ellipsis
    "\u2192": "->",  # rightwards arrow
    "\u2190": "<-",  # leftwards arrow
    "\u201c": '"',  # left double quotation mark
    "\u201d": '"',  # right double quotation mark
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark
    "\u2265": ">=",  # greater-than or equal to
    "\u2264": "<=",  # less-than or equal to
    "\u2501": "-",  # box drawings heavy horizontal
    "\u2500": "-",  # box drawings light horizontal
    "\u2502": "|",  # box drawings light vertical
    "\u2503": "|",  # box drawings heavy vertical
}


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    """Replace what an encoding cannot carry: ASCII look-alikes, accents dropped, else '?'."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for char in exc.object[exc.start : exc.end]:
        code = ord(char)
        if code in ONE_LINE and code not in (0x09, 0x0A):
            out.append(ONE_LINE[code])
        elif char in _ASCII:
            out.append(_ASCII[char])
        else:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out), exc.end


codecs.register_error("advisor-fallback", _fallback)


class _Guarded:
    """Standard output whose failed writes raise OutputError naming it; otherwise the stream itself."""

    def __init__(self, stream: TextIO, name: str):
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _failure(self._name, exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _failure(self._name, exc) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _failure(name: str, exc: OSError) -> Exception:
    """Return the exception for a failed write: a closed pipe stays BrokenPipeError (a reader left)."""
    if isinstance(exc, BrokenPipeError):
        return exc
    return OutputError(f"{name}: cannot write ({exc.strerror or exc})")


def setup_streams() -> None:
    """Prepare standard output and error: never an encoding error, failures named; raise OutputError.

    Raises OutputError if standard output is closed.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="advisor-fallback")
    if sys.stdout is None or _closed(sys.stdout):
        raise OutputError("standard output is closed; send it to a file or to /dev/null")
    if not isinstance(sys.stdout, _Guarded):
        sys.stdout = _Guarded(sys.stdout, "standard output")


def _closed(stream: TextIO) -> bool:
    """Return whether a stream's file descriptor is closed."""
    try:
        os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return not hasattr(stream, "getvalue")  # an in-memory stream (tests) has no descriptor
    return False


def silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(null)
    except (OSError, ValueError):
        pass


# --- files ---------------------------------------------------------------------------------


def write_atomically(path: Path, text: str) -> None:
    """Replace a file's content all at once: write a temporary sibling, fsync it, rename it over.

    On any failure (a full disk, an interruption) the temporary file is removed and
    the previous file, if any, is left as it was. A symbolic link is written through
    (its target is replaced); a device, a FIFO or a directory is refused with OSError.
    """
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file():
        raise OSError(errno.EINVAL, "not a regular file; give the path of a file to write")
    directory = path.parent if str(path.parent) else Path(".")
    mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
    descriptor, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    """Return the mode a new file gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def unused_path(path: Path, *, suffix: str | None = None, own: Path | None = None) -> Path:
    """Return ``path``, or its first ``-2``, ``-3``... variant that no file has yet (``own``, a file
    the caller may replace, counts as free). The number goes before ``suffix`` (the path's last
    suffix by default): ``end.advisor-resume.yaml`` gives ``end-2.advisor-resume.yaml``."""
    end = suffix if suffix is not None and path.name.endswith(suffix) else path.suffix
    base = path.name[: len(path.name) - len(end)]
    candidate, number = path, 1
    while candidate.exists() and candidate != own:
        number += 1
        candidate = path.with_name(f"{base}-{number}{end}")
    return candidate
