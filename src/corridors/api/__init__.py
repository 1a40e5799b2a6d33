"""The Python API: one function per question, over a network from :func:`load`.

Each function is a thin wrapper that imports its analysis when first called, so that
``import corridors`` stays cheap (a route query never imports the LP solvers) and the
analyses can change inside without changing what a caller writes. All options after the
required arguments are keyword-only.

Examples
--------
>>> import corridors as cx
>>> net = cx.load()
>>> r = cx.route(net, "Chongqing", "Duisburg")
>>> r.origin_name, r.destination_name
('Chongqing', 'Duisburg')
"""

from corridors.api.data import calibrate
from corridors.api.flows import assign, compare, flow
from corridors.api.risk import criticality, inventory, leverage
from corridors.api.routes import load, route, route_alternatives

__all__ = [
    "assign",
    "calibrate",
    "compare",
    "criticality",
    "flow",
    "inventory",
    "leverage",
    "load",
    "route",
    "route_alternatives",
]
