"""Geometry of nodes and links as GeoJSON coordinates, the one source for every face.

Coordinates are ``(lon, lat)`` pairs in WGS 84, as GeoJSON (RFC 7946) orders them. A link
is drawn as its stored line where the dataset has one, else as the straight segment
between its end nodes. Results (:mod:`corridors.results`) take their geometry from here,
so a map, a GeoPackage, the REST API and a report draw the same line.
"""

from __future__ import annotations

from typing import cast

from corridors.model.network import Network

__all__ = ["Coordinates", "link_line", "node_point"]

Coordinates = list[tuple[float, float]]


def node_point(net: Network, node: str) -> tuple[float, float]:
    """``(lon, lat)`` of a node.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> lon, lat = node_point(load(), "duisburg")
    >>> round(lon), round(lat)
    (7, 51)
    """
    nodes = net.nodes
    return (float(cast(float, nodes.at[node, "lon"])), float(cast(float, nodes.at[node, "lat"])))


def link_line(net: Network, link: str, *, start: str | None = None) -> Coordinates:
    """The line of ``link`` from ``start`` (one of its ends; default its ``from`` node).

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> line = link_line(net, net.links.index[0])
    >>> len(line) >= 2
    True
    """
    a, b = str(net.links.at[link, "from"]), str(net.links.at[link, "to"])
    line: Coordinates = [node_point(net, a), node_point(net, b)]
    if start is not None and start == b and start != a:
        line.reverse()
    return line
