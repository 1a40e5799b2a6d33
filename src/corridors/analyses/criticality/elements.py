"""Elements that can fail, and the graph edges each one stands for.

An element is a link, a node, a transfer, a sea passage or a country. Removing it removes
a set of edges of the compiled graph (:class:`corridors.model.graph.CompiledGraph`):

- a link: its edges (one per direction);
- a node: every edge with an end at one of the node's vertices (its links' edges, dwell,
  transfers and the source and sink edges of routes that start or end there);
- a transfer: its edges;
- a passage: the edges of every link using it;
- a country: the edges of every link crossing it and of every node in it.

:func:`element_edges` returns the element-by-edge incidence as a sparse matrix, so that
the elements a set of paths uses is one sparse product, and masking an element is setting
the weights of its edges to infinity (never rebuilding the graph).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import pycountry
import scipy.sparse as sp

from corridors.model.graph import CompiledGraph, EdgeKind
from corridors.model.network import Network

__all__ = ["ElementKind", "Elements", "element_edges"]


class ElementKind(StrEnum):
    """What kind of element a criticality sweep removes."""

    LINKS = "links"
    NODES = "nodes"
    TRANSFERS = "transfers"
    PASSAGES = "passages"
    COUNTRIES = "countries"


@dataclass(frozen=True, eq=False)
class Elements:
    """Elements of one kind present in a compiled graph, and their edges.

    Attributes
    ----------
    kind
        What they are.
    ids, names, countries
        Per element: id, display name and the countries it lies in.
    matrix
        ``len(ids) x n_edges`` CSR matrix, 1 where the element holds the edge.
    link_pos
        For links: the link's position in ``graph.links`` (else empty).
    members
        For N-2 sweeps: the ids each element stands for (empty: one element each).
    """

    kind: ElementKind
    ids: list[str]
    names: list[str]
    countries: list[tuple[str, ...]]
    matrix: sp.csr_matrix
    link_pos: np.ndarray
    members: tuple[tuple[str, ...], ...] = ()


def _incidence(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_edges: int) -> sp.csr_matrix:
    m = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n_rows, n_edges), dtype=np.int8
    )
    m.data[:] = 1
    return m


def _node_rows(graph: CompiledGraph) -> tuple[np.ndarray, np.ndarray]:
    """(node position, edge) for both ends of every edge."""
    n_e = len(graph.tail)
    edges = np.arange(n_e)
    rows = np.concatenate([graph.vertex_node[graph.tail], graph.vertex_node[graph.head]])
    return rows, np.concatenate([edges, edges])


def _listed(
    values: pd.Series, link_edges: np.ndarray, link_ref: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """For a column of tuples per link: the distinct items and (item, edge) pairs."""
    items = sorted({v for vs in values for v in vs})
    index = {v: k for k, v in enumerate(items)}
    per_link = [[index[v] for v in vs] for vs in values]
    rows: list[int] = []
    cols: list[int] = []
    for e, i in zip(link_edges, link_ref, strict=True):
        for k in per_link[i]:
            rows.append(k)
            cols.append(int(e))
    return items, np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)


def _country_name(code: str) -> str:
    found: Any = pycountry.countries.get(alpha_2=code)
    return str(found.name) if found is not None else code


def element_edges(net: Network, graph: CompiledGraph, kind: ElementKind | str) -> Elements:
    """The elements of ``kind`` that hold at least one edge of ``graph``, with their edges.

    Examples
    --------
    >>> import corridors as cx
    >>> from corridors.model.graph import compile_graph
    >>> net = cx.load()
    >>> g = compile_graph(net)
    >>> els = element_edges(net, g, "links")
    >>> int(els.matrix.sum()) == int((g.kind == 0).sum())
    True
    """
    kind = ElementKind(kind)
    n_e = len(graph.tail)
    is_link = graph.kind == EdgeKind.LINK
    link_edges = np.flatnonzero(is_link)
    link_ref = graph.ref[link_edges]
    links = graph.links
    empty = np.zeros(0, dtype=np.int64)
    if kind is ElementKind.LINKS:
        ids = [str(i) for i in graph.link_ids]
        m = _incidence(link_ref, link_edges, len(ids), n_e)
        names = [str(n) if str(n) else str(i) for n, i in zip(links["name"], ids, strict=True)]
        return _keep(
            kind, ids, names, [tuple(c) for c in links["countries"]], m, np.arange(len(ids))
        )
    if kind is ElementKind.TRANSFERS:
        tr = graph.transfers
        sel = np.flatnonzero(graph.kind == EdgeKind.TRANSFER)
        m = _incidence(graph.ref[sel], sel, len(tr), n_e)
        node_name = net.nodes["name"].astype(str)
        names = [
            f"{k} at {node_name.get(n, n)}" for k, n in zip(tr["kind"], tr["node"], strict=True)
        ]
        countries = [(str(net.nodes.at[n, "country"]),) for n in tr["node"]]
        return _keep(kind, [str(i) for i in tr["id"]], names, countries, m, empty)
    if kind is ElementKind.NODES:
        rows, cols = _node_rows(graph)
        m = _incidence(rows, cols, len(graph.node_ids), n_e)
        countries = [(str(c),) for c in net.nodes.loc[graph.node_ids, "country"]]
        return _keep(kind, list(graph.node_ids), list(graph.node_names), countries, m, empty)
    if kind is ElementKind.PASSAGES:
        items, rows, cols = _listed(links["passages"], link_edges, link_ref)
        m = _incidence(rows, cols, len(items), n_e)
        names = [str(net.passages.at[p, "name"]) if p in net.passages.index else p for p in items]
        return _keep(kind, items, names, [() for _ in items], m, empty)
    link_items, rows, cols = _listed(links["countries"], link_edges, link_ref)
    node_country = net.nodes.loc[graph.node_ids, "country"].astype(str).to_numpy()
    items = sorted(set(link_items) | set(node_country))
    index = {c: k for k, c in enumerate(items)}
    remap = np.asarray([index[c] for c in link_items], dtype=np.int64)
    node_index = np.asarray([index[c] for c in node_country], dtype=np.int64)
    n_rows, n_cols = _node_rows(graph)
    m = _incidence(
        np.concatenate([remap[rows], node_index[n_rows]]),
        np.concatenate([cols, n_cols]),
        len(items),
        n_e,
    )
    return _keep(kind, items, [_country_name(c) for c in items], [(c,) for c in items], m, empty)


def _keep(
    kind: ElementKind,
    ids: list[str],
    names: list[str],
    countries: Sequence[tuple[str, ...]],
    m: sp.csr_matrix,
    link_pos: np.ndarray,
) -> Elements:
    """Only the elements holding an edge."""
    has = [int(i) for i in np.flatnonzero(np.diff(m.indptr) > 0)]
    return Elements(
        kind=kind,
        ids=[ids[i] for i in has],
        names=[names[i] for i in has],
        countries=[countries[i] for i in has],
        matrix=m[has],
        link_pos=link_pos[has] if len(link_pos) else link_pos,
    )
