"""Run the advisor as ``python -m advisor``."""

from advisor.cli import main

main()
