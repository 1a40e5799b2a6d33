"""N-2: every pair of candidate elements removed together.

Two parallel roads each score zero alone (the other carries the traffic) and together
cut the pairs they serve; only a sweep over pairs sees it. All pairs of every element
would be too many (25,000 links give 312 million pairs), so the pairs are drawn from a
candidate list (:func:`read_candidates`: a text or CSV file of element ids). A pair is
one more element of the sweep: its edges are the union of both members' edges, and the
shortest-path engine masks and searches it like any other
(:mod:`corridors.analyses.criticality.engine`), without the bridge shortcut (a pair may
hold one bridge and one link that is not).
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from corridors.analyses.criticality.elements import ElementKind, Elements
from corridors.errors import CorridorsError
from corridors.model.network import Network

__all__ = ["known_ids", "pair_elements", "read_candidates"]

#: Joins the two ids of a pair in its ``element`` field.
JOIN = "+"


def known_ids(net: Network, kind: ElementKind) -> set[str]:
    """Every id of ``kind`` in the network's tables."""
    if kind is ElementKind.LINKS:
        return {str(i) for i in net.links.index}
    if kind is ElementKind.NODES:
        return {str(i) for i in net.nodes.index}
    if kind is ElementKind.TRANSFERS:
        return {str(i) for i in net.transfers["id"]} if len(net.transfers) else set()
    if kind is ElementKind.PASSAGES:
        return {str(p) for ps in net.links["passages"] for p in ps} | {
            str(i) for i in net.passages.index
        }
    return {str(c) for cs in net.links["countries"] for c in cs} | {
        str(c) for c in net.nodes["country"]
    }


def read_candidates(path: str | Path, net: Network, kind: ElementKind | str) -> list[str]:
    """Element ids listed in ``path``, one a line (a CSV file: its first column).

    Blank lines and lines starting with ``#`` are skipped, and so is a first line naming
    the column (``id`` or ``element``). Ids are kept in file order, without repeats.

    Raises
    ------
    CorridorsError
        When the file cannot be read, lists fewer than two ids, or lists an id the
        network does not hold (naming the file, row and value, with close matches).

    Examples
    --------
    >>> import tempfile, corridors as cx
    >>> f = Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_text(chr(10).join(["id", "ab", "bc"]))
    >>> read_candidates(f, cx.load(), "links")
    Traceback (most recent call last):
    ...
    corridors.errors.CorridorsError: ...c.csv:2: unknown links id 'ab' (close matches: none)
    """
    kind = ElementKind(kind)
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorridorsError(f"cannot read the candidates file {p}: {exc}") from exc
    known = known_ids(net, kind)
    out: list[str] = []
    for row, line in enumerate(text.splitlines(), start=1):
        value = line.split(",", 1)[0].strip().strip('"')
        if not value or value.startswith("#"):
            continue
        if row == 1 and value.lower() in ("id", "element"):
            continue
        if value not in known:
            close = difflib.get_close_matches(value, sorted(known), n=3)
            raise CorridorsError(
                f"{p}:{row}: unknown {kind.value} id {value!r} "
                f"(close matches: {', '.join(close) or 'none'})"
            )
        if value not in out:
            out.append(value)
    if len(out) < 2:
        raise CorridorsError(f"{p}: lists {len(out)} {kind.value} id(s); N-2 needs two or more")
    return out


def pair_elements(els: Elements, candidates: Sequence[str]) -> Elements:
    """Every pair of ``candidates`` as one element holding both members' edges.

    Pairs with no edge in this graph are left out (they score zero here).
    """
    row_of = {e: k for k, e in enumerate(els.ids)}
    ids: list[str] = []
    names: list[str] = []
    countries: list[tuple[str, ...]] = []
    members: list[tuple[str, ...]] = []
    rows: list[sp.csr_matrix] = []
    for a, b in itertools.combinations(candidates, 2):
        held = [row_of[x] for x in (a, b) if x in row_of]
        if not held:
            continue
        m = els.matrix[held].sum(axis=0) if len(held) == 2 else els.matrix[held[0]]
        m = sp.csr_matrix(m, dtype=np.int8)
        m.data[:] = 1
        rows.append(m)
        ids.append(f"{a}{JOIN}{b}")
        name = {x: els.names[row_of[x]] for x in (a, b) if x in row_of}
        names.append(f"{name.get(a, a)} {JOIN} {name.get(b, b)}")
        countries.append(
            tuple(dict.fromkeys(c for x in (a, b) if x in row_of for c in els.countries[row_of[x]]))
        )
        members.append((a, b))
    matrix = sp.vstack(rows).tocsr() if rows else els.matrix[:0]
    return Elements(
        kind=els.kind,
        ids=ids,
        names=names,
        countries=countries,
        matrix=matrix,
        link_pos=np.zeros(0, dtype=np.int64),
        members=tuple(members),
    )
