"""Synthetic road- and rail-like networks in the project's own table format.

For benchmarks and property tests: :func:`synthetic_tables` lays out ``n_nodes`` nodes at
random over a box of Eurasia split into longitude bands (one country each), joins every
node to some of its nearest neighbours (a spanning tree of the nearest-neighbour graph
first, so the network is connected, then random extra pairs up to ``links_per_node`` links
per node), and makes each link a railway (the gauge of its ``from`` country: 1435 mm in
DE, PL and CN, 1520 mm in BY, RU and KZ) or a road. A node reached by rail links of both
gauges gets a gauge-change transfer, and a share of the nodes with both rail and road get
a rail-road terminal transfer. Border nodes (an end of a cross-border link) dwell a few
hours. Demand: ``n_pairs`` random container OD pairs.

Every number cites the one source row ``synthetic`` and says how it was drawn in
``estimate``, so the tables validate like real data (:func:`corridors.model.network.
from_frames`). :func:`synthetic_network` builds the :class:`~corridors.model.network.
Network` either through that validation (``validate=True``) or directly from the typed
tables (much faster for 100k nodes, where validation takes minutes); both give the same
network.

Examples
--------
>>> tables = synthetic_tables(200, seed=1)
>>> len(tables["nodes"]), len(tables["links"])
(200, 500)
>>> net = synthetic_network(200, seed=1)
>>> sorted(set(net.links["layer"]))
['rail_1435', 'rail_1520', 'road']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import cKDTree

from corridors.geo import haversine_km
from corridors.model.network import Network, derive_link_columns, from_frames
from corridors.model.schema import TABLES, table_schema

__all__ = ["COUNTRIES", "synthetic_network", "synthetic_tables", "write_synthetic"]

#: Countries west to east, each a longitude band, with its rail gauge (mm).
COUNTRIES: tuple[tuple[str, int], ...] = (
    ("DE", 1435),
    ("PL", 1435),
    ("BY", 1520),
    ("RU", 1520),
    ("KZ", 1520),
    ("CN", 1435),
)
_LAT = (35.0, 55.0)
_LON = (8.0, 110.0)
_SOURCE = "synthetic"


def _estimate(seed: int, what: str) -> str:
    return f"synthetic (corridors.datasets.synthetic, seed={seed}): {what}"


def _pairs(xy: np.ndarray, n_links: int, rng: np.random.Generator) -> np.ndarray:
    """Node pairs: a spanning tree of the 6-nearest-neighbour graph, then random extras."""
    n = len(xy)
    k = min(7, n)
    _, found = cKDTree(xy).query(xy, k=k)
    nbr = np.asarray(found, dtype=np.int64)
    a = np.repeat(np.arange(n), k - 1)
    b = nbr[:, 1:].ravel()
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    cand = np.unique(np.stack([lo, hi], axis=1), axis=0)
    weight = np.hypot(*(xy[cand[:, 0]] - xy[cand[:, 1]]).T) + 1e-9
    graph = coo_matrix((weight, (cand[:, 0], cand[:, 1])), shape=(n, n)).tocsr()
    tree = minimum_spanning_tree(graph).tocoo()
    chosen = np.stack([np.minimum(tree.row, tree.col), np.maximum(tree.row, tree.col)], axis=1)
    # extra pairs where the spanning tree has none, until n_links
    key = cand[:, 0].astype(np.int64) * n + cand[:, 1]
    rest = cand[~np.isin(key, chosen[:, 0].astype(np.int64) * n + chosen[:, 1])]
    extra = max(0, min(len(rest), n_links - len(chosen)))
    picked = rest[rng.choice(len(rest), size=extra, replace=False)] if extra else rest[:0]
    return np.concatenate([chosen, picked]).astype(np.int64)


def synthetic_tables(
    n_nodes: int,
    *,
    seed: int = 0,
    links_per_node: float = 2.5,
    rail_share: float = 0.6,
    terminal_share: float = 0.3,
    n_pairs: int = 50,
) -> dict[str, pd.DataFrame]:
    """Tables (as the CSV files hold them) of a random connected network.

    Parameters
    ----------
    n_nodes
        Number of nodes (at least 10).
    seed
        Seed of the random generator: the same seed gives the same tables.
    links_per_node
        Links per node on average (``round(links_per_node * n_nodes)`` links, fewer when
        the 6 nearest neighbours of each node give fewer distinct pairs).
    rail_share
        Share of links that are railways (the rest are roads).
    terminal_share
        Share of the nodes with both rail and road links that get a rail-road terminal.
    n_pairs
        Container OD pairs in the demand table.

    Returns
    -------
    dict of pandas.DataFrame
        ``sources``, ``commodities``, ``modes``, ``mode_costs``, ``nodes``, ``links``,
        ``transfers``, ``demand``; list columns as ``;``-separated text.
    """
    if n_nodes < 10:
        raise ValueError("a synthetic network needs at least 10 nodes")
    rng = np.random.default_rng(seed)
    lat = rng.uniform(*_LAT, n_nodes)
    lon = rng.uniform(*_LON, n_nodes)
    band = np.minimum(
        ((lon - _LON[0]) / (_LON[1] - _LON[0]) * len(COUNTRIES)).astype(int), len(COUNTRIES) - 1
    )
    codes = np.array([c for c, _ in COUNTRIES])
    gauges = np.array([g for _, g in COUNTRIES])
    country = codes[band]
    xy = np.stack([lon * np.cos(np.radians(45.0)), lat], axis=1)
    pairs = _pairs(xy, round(links_per_node * n_nodes), rng)
    a, b = pairs[:, 0], pairs[:, 1]
    ids = np.array([f"n{i}" for i in range(n_nodes)])
    gc = haversine_km(lat[a], lon[a], lat[b], lon[b])
    length = np.round(np.maximum(gc, 1.0) * rng.uniform(1.05, 1.4, len(pairs)) + 1.0, 1)
    rail = rng.random(len(pairs)) < rail_share
    gauge = np.where(rail, gauges[band[a]], 0)
    cross = country[a] != country[b]
    links = pd.DataFrame(
        {
            "id": [f"l{i}" for i in range(len(pairs))],
            "from": ids[a],
            "to": ids[b],
            "mode": np.where(rail, "rail", "road"),
            "gauge_mm": np.where(rail, gauge.astype(str), ""),
            "length_km": length,
            "capacity": np.where(rail, 200_000.0, 400_000.0),
            "capacity_unit": "TEU/yr",
            "countries": np.where(
                cross, np.char.add(np.char.add(country[a], ";"), country[b]), country[a]
            ),
            "status": "operating",
            "direction": "both",
            "sources": _SOURCE,
            "estimate": _estimate(seed, "length = great-circle x U(1.05, 1.4); capacity by mode"),
        }
    )
    border = np.zeros(n_nodes, dtype=bool)
    border[a[cross]] = border[b[cross]] = True
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Node {i}" for i in range(n_nodes)],
            "kind": np.where(border, "border", "city"),
            "country": country,
            "lat": np.round(lat, 5),
            "lon": np.round(lon, 5),
            "dwell_low_h": np.where(border, 2.0, np.nan),
            "dwell_high_h": np.where(border, 6.0, np.nan),
            "sources": _SOURCE,
            "estimate": np.where(border, _estimate(seed, "border dwell 2-6 h"), ""),
        }
    )
    transfers = _transfers(ids, a, b, rail, gauge, rng, terminal_share, seed)
    return {
        "sources": pd.DataFrame(
            {
                "id": [_SOURCE],
                "title": ["Synthetic network generated by corridors.datasets.synthetic"],
                "publisher": ["corridors"],
                "year": [2026],
                "note": [f"random network, seed={seed}; no real place or figure"],
            }
        ),
        "commodities": pd.DataFrame(
            {"id": ["container"], "name": ["Containers"], "unit": ["TEU"], "modes": ["rail;road"]}
        ),
        "modes": pd.DataFrame(
            {
                "mode": ["rail", "road"],
                "speed_low_kmh": [31.0, 23.4],
                "speed_high_kmh": [46.0, 42.0],
                "sources": _SOURCE,
                "estimate": _estimate(seed, "speeds as the default dataset's"),
            }
        ),
        "mode_costs": pd.DataFrame(
            {
                "mode": ["rail", "road"],
                "commodity": "container",
                "cost_usd_per_km": [0.285, 0.76],
                "sources": _SOURCE,
                "estimate": _estimate(seed, "rates as the default dataset's"),
            }
        ),
        "nodes": nodes,
        "links": links,
        "transfers": transfers,
        "demand": _demand(ids, n_pairs, rng, seed),
    }


def _transfers(
    ids: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    rail: np.ndarray,
    gauge: np.ndarray,
    rng: np.random.Generator,
    terminal_share: float,
    seed: int,
) -> pd.DataFrame:
    n = len(ids)
    ends = np.concatenate([a, b])
    has = {
        g: np.bincount(ends[np.tile(rail & (gauge == g), 2)], minlength=n) > 0 for g in (1435, 1520)
    }
    road = np.bincount(ends[np.tile(~rail, 2)], minlength=n) > 0
    change = np.flatnonzero(has[1435] & has[1520])
    rows: list[dict[str, object]] = [
        {"id": f"g{i}", "node": ids[i], "from_layer": "rail_1435", "to_layer": "rail_1520",
         "kind": "gauge_change", "time_low_h": 4.25, "time_high_h": 9.0, "cost_usd": 60.0}
        for i in change
    ]  # fmt: skip
    for g in (1435, 1520):
        both = np.flatnonzero(has[g] & road)
        pick = both[rng.random(len(both)) < terminal_share]
        rows.extend(
            {"id": f"t{g}_{i}", "node": ids[i], "from_layer": f"rail_{g}", "to_layer": "road",
             "kind": "terminal", "time_low_h": 6.0, "time_high_h": 24.0, "cost_usd": 150.0}
            for i in pick
        )  # fmt: skip
    out = pd.DataFrame(
        rows,
        columns=["id", "node", "from_layer", "to_layer", "kind", "time_low_h", "time_high_h",
                 "cost_usd"],
    )  # fmt: skip
    out["direction"] = "both"
    out["sources"] = _SOURCE
    out["estimate"] = _estimate(seed, "times and costs as the default dataset's gauge changes")
    return out


def _demand(ids: np.ndarray, n_pairs: int, rng: np.random.Generator, seed: int) -> pd.DataFrame:
    n = len(ids)
    n_pairs = min(n_pairs, n * (n - 1))
    seen: set[tuple[int, int]] = set()
    while len(seen) < n_pairs:
        o, d = (int(x) for x in rng.integers(0, n, 2))
        if o != d:
            seen.add((o, d))
    od = sorted(seen)
    return pd.DataFrame(
        {
            "id": [f"d{k}" for k in range(len(od))],
            "origin": [ids[o] for o, _ in od],
            "destination": [ids[d] for _, d in od],
            "commodity": "container",
            "amount": np.round(rng.lognormal(9.0, 1.0, len(od)), 0),
            "unit": "TEU/yr",
            "year": 2026,
            "sources": _SOURCE,
            "estimate": _estimate(seed, "amount lognormal(9, 1) TEU/yr"),
        }
    )


def _typed(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables typed as validation would type them (numbers float, lists tuples)."""
    out: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        given = tables.get(table, pd.DataFrame())
        cols: dict[str, object] = {}
        for spec in table_schema(table):
            col = given[spec.name] if spec.name in given else pd.Series([""] * len(given))
            col = col.reset_index(drop=True)
            if spec.is_number:
                cols[spec.name] = pd.to_numeric(
                    col.mask(col.astype(str) == ""), errors="coerce"
                ).astype(float)
            elif spec.type.startswith("list"):
                cols[spec.name] = [
                    tuple(p for p in str(v).split(";") if p) if isinstance(v, str) else ()
                    for v in col
                ]
            else:
                cols[spec.name] = col.fillna("").astype(str)
        out[table] = pd.DataFrame(cols, index=range(len(given)))
    return out


def synthetic_network(
    n_nodes: int, *, seed: int = 0, validate: bool = False, **options: float
) -> Network:
    """A :class:`~corridors.model.network.Network` of :func:`synthetic_tables`.

    Parameters
    ----------
    n_nodes, seed, options
        As for :func:`synthetic_tables`.
    validate
        Build through :func:`corridors.model.network.from_frames` (every check; slow for
        100k nodes) instead of directly from the typed tables (the generator's tables
        always validate; ``tests/test_synthetic.py`` checks that both give the same
        network).
    """
    tables = synthetic_tables(n_nodes, seed=seed, **options)  # type: ignore[arg-type]
    label = f"synthetic-{n_nodes}-seed{seed}"
    if validate:
        return from_frames(tables, label)
    typed = _typed(tables)
    nodes = typed["nodes"].set_index("id", drop=False).rename_axis(None)
    links = derive_link_columns(typed["links"], typed["modes"]).set_index("id", drop=False)
    return Network(
        nodes=nodes,
        links=links.rename_axis(None),
        transfers=typed["transfers"],
        modes=typed["modes"],
        mode_costs=typed["mode_costs"],
        commodities=typed["commodities"].set_index("id", drop=False).rename_axis(None),
        passages=typed["passages"].set_index("id", drop=False).rename_axis(None),
        sources=typed["sources"].set_index("id", drop=False).rename_axis(None),
        demand=typed["demand"],
        published_shares=typed["published_shares"],
        label=label,
    )


def write_synthetic(
    folder: str | Path, n_nodes: int, *, seed: int = 0, **options: float
) -> list[Path]:
    """Write :func:`synthetic_tables` as CSV files into ``folder`` (loadable with ``load``)."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in synthetic_tables(n_nodes, seed=seed, **options).items():  # type: ignore[arg-type]
        target = path / f"{name}.csv"
        df.to_csv(target, index=False)
        written.append(target)
    return written
