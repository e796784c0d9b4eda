"""Plain baseline classifier for the alliance / partnership expert-system evaluation.

Written from the four seed documents (/work/shared/seeds/*.txt) and the Outcomes and
"Facts about a dyad" sections of FACTS.md only, without seeing any case data or the
rule base. It exists purely as a simple point of comparison with the rule base.
"""


def baseline(f: dict) -> str:
    """Return one outcome id for a dyad using a few simple rules read off the seeds."""
    if f["issue_scope"] == "transnational" and f["nonstate_actors_essential"]:
        return "coalition"
    hedging = f["rival_ties"] or f["autonomy_tradition"] or f["entrapment_risk"] == "high"
    if f["existing_ties"] == "alliance" and not hedging:
        return "alliance"
    if f["threat_level"] in ("high", "existential") and f["shared_adversary"] == "full" and not hedging:
        return "alliance"
    deep = f["existing_ties"] in ("comprehensive", "coordination", "alliance")
    if f["governance_alignment"] == "high" and deep:
        return "coordination"
    if f["economic_interdependence"] == "high" and f["existing_ties"] != "none":
        return "comprehensive"
    if f["issue_scope"] == "multi_sector" or f["economic_interdependence"] != "low":
        return "strategic"
    return "partnership"
