"""JUnit XML for a batch evaluation: one testcase per case, and one erroring per invalid input."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from advisor.evaluate import CaseResult, Evaluation
from advisor.output import printable

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def junit_xml(evaluation: Evaluation) -> str:
    """Return JUnit XML: one testcase per case (failed on a mismatch) and one erroring per invalid input."""
    summary = evaluation.summary
    counts = {
        "tests": str(summary.cases + summary.errors),
        "failures": str(summary.with_expected - summary.matched),
        "errors": str(summary.errors),
        "skipped": str(summary.cases - summary.with_expected),
        "time": f"{evaluation.seconds:.3f}",
    }
    root = ET.Element("testsuites", {"name": "advisor evaluate", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "advisor evaluate", **counts})
    for result in evaluation.results:
        _junit_case(suite, result)
    taken = {(r.case.file, r.case.id) for r in evaluation.results}
    for error in evaluation.errors:
        name = first = error.case or Path(error.file).name
        number = 1
        while (error.file, name) in taken:  # each testcase its own name in its file
            number += 1
            name = f"{first} ({number})"
        taken.add((error.file, name))
        case = ET.SubElement(suite, "testcase", _clean_attrs(error.file, name))
        ET.SubElement(
            case, "error", {"type": "invalid input", "message": _xml_text(error.message)}
        ).text = _xml_text(str(error), one_line=False)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_case(suite: ET.Element, result: CaseResult) -> None:
    """Add one case's testcase: passed, failed (with what was expected) or skipped (nothing expected)."""
    case, verdict = result.case, result.verdict
    element = ET.SubElement(suite, "testcase", _clean_attrs(case.file, case.id))
    got = f"recommended {verdict.outcome} ({verdict.deciding_rule})"
    if result.match is False:
        message = f"expected {case.expected}, {got}"
        ET.SubElement(element, "failure", {"type": "mismatch", "message": message}).text = message
    elif result.match is None:
        ET.SubElement(element, "skipped", {"message": f"no expected outcome; {got}"})
    else:
        ET.SubElement(element, "system-out").text = got


def _clean_attrs(file: str, name: str) -> dict[str, str]:
    """Return a testcase's attributes: classname and file are the case file, name the case."""
    return {"classname": _xml_text(file), "name": _xml_text(name), "file": _xml_text(file)}


def _xml_text(text: str, *, one_line: bool = True) -> str:
    """Return text a CI page can show as it was typed: control characters visibly escaped (``\\x1b``,
    as on the terminal: a report viewer must not act on them, and XML 1.0 cannot carry most), and
    any other character XML cannot carry (U+FFFE, U+FFFF) escaped the same way, never dropped."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m[0]):04x}", printable(text, one_line=one_line))
