"""The engine layer: facts in, a typed recommendation out.

The flow reads from the modules: ``types`` (the experta facts) and ``strategy``
(how the agenda and the matcher run) make up what ``compiler`` builds from a
knowledge base; ``run`` runs it and returns a ``Run`` of typed ``Firing``s;
``certainty`` is the one place the resolution of competing conclusions lives;
``recommendation`` turns a run into a ``Recommendation`` (``advise``), over the
``readings`` of contested facts (a change of such a case is judged ``as_given``: by what
most readings give after it). Beside the engine, ``logic`` reads the rule base
in three values, for the questionnaire's ``relevance`` and for ``beliefs``, the
exact evaluator without the engine (held equal to it by the tests).

The names below are imported on first use, so that a module needing only, say,
``certainty`` does not load experta. (The function ``beliefs.beliefs`` is not
among them: the submodule of the same name would shadow it.)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Engine": "run",
    "EvidenceGiven": "run",
    "Firing": "run",
    "Run": "run",
    "get_engine": "run",
    "support": "run",
    "CautionNote": "recommendation",
    "Recommendation": "recommendation",
    "advise": "recommendation",
    "outcome_fields": "recommendation",
    "over_facts": "recommendation",
    "recommendation_from_run": "recommendation",
    "reading_shares": "readings",
    "Confidence": "certainty",
    "TIE_ORDER": "certainty",
    "beats": "certainty",
    "combine": "certainty",
    "combine_all": "certainty",
    "confidence": "certainty",
    "lead": "certainty",
    "clarity": "certainty",
    "ranking": "certainty",
    "Tri": "logic",
    "truth": "logic",
    "outcome_of": "beliefs",
    "Relevance": "relevance",
    "analyse": "relevance",
    "may_recommend": "relevance",
}

if TYPE_CHECKING:
    from advisor.engine.beliefs import outcome_of
    from advisor.engine.certainty import (
        TIE_ORDER,
        Confidence,
        beats,
        clarity,
        combine,
        combine_all,
        confidence,
        lead,
        ranking,
    )
    from advisor.engine.logic import Tri, truth
    from advisor.engine.readings import reading_shares
    from advisor.engine.recommendation import (
        CautionNote,
        Recommendation,
        advise,
        outcome_fields,
        over_facts,
        recommendation_from_run,
    )
    from advisor.engine.relevance import Relevance, analyse, may_recommend
    from advisor.engine.run import Engine, EvidenceGiven, Firing, Run, get_engine, support


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"advisor.engine.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'advisor.engine' has no attribute {name!r}")


__all__ = [
    "TIE_ORDER",
    "CautionNote",
    "Confidence",
    "Engine",
    "EvidenceGiven",
    "Firing",
    "Recommendation",
    "Relevance",
    "Run",
    "Tri",
    "advise",
    "analyse",
    "beats",
    "clarity",
    "combine",
    "combine_all",
    "confidence",
    "get_engine",
    "lead",
    "may_recommend",
    "outcome_fields",
    "outcome_of",
    "over_facts",
    "ranking",
    "reading_shares",
    "recommendation_from_run",
    "support",
    "truth",
]
