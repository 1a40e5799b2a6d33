"""Geometry of nodes and links as GeoJSON coordinates, the one source for every face.

Coordinates are ``(lon, lat)`` pairs in WGS 84, as GeoJSON (RFC 7946) orders them. A link
is drawn as its stored line where the dataset has one (``Network.link_geometry``: the
searoute lines of sea links, read by :mod:`corridors.io.geometry`), else as the straight
segment between its end nodes. A stored line is used only while its ends are the link's
end nodes (within :data:`END_TOLERANCE_DEG`), so a scenario that moves or adds a link
falls back to a straight segment. Results (:mod:`corridors.results`) and exports
(:mod:`corridors.io.export`) take their geometry from here, so a map, a GeoPackage, the
REST API and a report draw the same line.
"""

from __future__ import annotations

from corridors.io.geometry import END_TOLERANCE_DEG, fitted_line
from corridors.model.network import Network

__all__ = ["END_TOLERANCE_DEG", "Coordinates", "link_line", "node_point"]

Coordinates = list[tuple[float, float]]


def _points(net: Network) -> dict[str, tuple[float, float]]:
    """Node id -> (lon, lat), built once per network."""
    points: dict[str, tuple[float, float]] | None = net.cache.get("node_points")
    if points is None:
        nodes = net.nodes
        points = net.cache["node_points"] = {
            str(n): (float(lon), float(lat))
            for n, lon, lat in zip(nodes.index, nodes["lon"], nodes["lat"], strict=True)
        }
    return points


def _ends(net: Network) -> dict[str, tuple[str, str]]:
    """Link id -> (from, to), built once per network (a sweep draws thousands of links)."""
    ends: dict[str, tuple[str, str]] | None = net.cache.get("link_ends")
    if ends is None:
        links = net.links
        ends = net.cache["link_ends"] = {
            str(k): (str(a), str(b))
            for k, a, b in zip(links.index, links["from"], links["to"], strict=True)
        }
    return ends


def node_point(net: Network, node: str) -> tuple[float, float]:
    """``(lon, lat)`` of a node.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> lon, lat = node_point(load(), "duisburg")
    >>> round(lon), round(lat)
    (7, 51)
    """
    return _points(net)[node]


def link_line(net: Network, link: str, *, start: str | None = None) -> Coordinates:
    """The line of ``link`` from ``start`` (one of its ends; default its ``from`` node).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> suez = link_line(net, "sea_shanghai_hamburg_suez")
    >>> cape = link_line(net, "sea_shanghai_hamburg_cape")
    >>> len(suez) > 2, suez != cape, min(lat for _, lat in cape) < -30
    (True, True, True)
    >>> back = link_line(net, "sea_shanghai_hamburg_suez", start="hamburg")
    >>> back == suez[::-1]
    True
    >>> len(link_line(net, net.links.index[0]))
    2
    """
    a, b = _ends(net)[link]
    points = _points(net)
    pa, pb = points[a], points[b]
    line: Coordinates = fitted_line(net.link_geometry.get(link), pa, pb)
    if start is not None and start == b and start != a:
        line.reverse()
    return line
