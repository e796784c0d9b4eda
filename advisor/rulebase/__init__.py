"""The knowledge base: rule files read once into typed, checked Rule objects.

``model`` holds what everyone reads (Rule, KnowledgeBase), ``schema`` the shape of a
rule file as written, ``load`` the reading and checking (``checks``, the checks across
the base and of the passages), ``conditions`` the fact tests, ``strata`` the order in
which rules run.
"""

from advisor.rulebase.conditions import parse_condition
from advisor.rulebase.load import check_knowledge_base, default_directory, digest, load_knowledge_base
from advisor.rulebase.model import Condition, KnowledgeBase, Rule, RuleBaseError, RuleKind, Source
from advisor.rulebase.schema import MAX_CF
from advisor.rulebase.strata import stages, strata

__all__ = [
    "MAX_CF",
    "Condition",
    "KnowledgeBase",
    "Rule",
    "RuleBaseError",
    "RuleKind",
    "Source",
    "check_knowledge_base",
    "default_directory",
    "digest",
    "load_knowledge_base",
    "parse_condition",
    "stages",
    "strata",
]
