"""What a scenario changes: routes, flows and exporters before and after."""

from corridors.analyses.compare.comparison import Comparison, compare

__all__ = ["Comparison", "compare"]
