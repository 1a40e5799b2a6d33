"""Criticality: which single link, node, transfer, passage or country hurts most if it fails."""

from corridors.analyses.criticality.elements import ElementKind, element_edges
from corridors.analyses.criticality.shortest import demand_pairs, shortest_path_criticality

__all__ = ["ElementKind", "demand_pairs", "element_edges", "shortest_path_criticality"]
