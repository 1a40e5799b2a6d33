"""A scenario beside the baseline (or another scenario): routes, delivered energy, bottlenecks.

:func:`compare` runs the same analyses twice, once per scenario, and reports the
differences as DataFrames that any face renders:

- **Routes**: for each origin–destination pair, the best container route under each
  scenario (by time unless told otherwise): time (low/high), cost and distance, their
  deltas, the countries, modes and passages, and whether the route disappears (no route
  after), appears (no route before) or changes corridor.
- **Energy**: the maximum flow of crude and gas (:func:`corridors.analyses.flows.solve_flow`)
  from the fields of the supply countries (Kazakhstan, Azerbaijan, Turkmenistan, Russia by
  default) to every market: delivered per market before and after, the elements of the
  min cut after that were not in it before (new bottlenecks), and the volume each supply
  country delivers before and after, largest loss first.

Pairs default to the container pairs of the network's demand table, or when it has none,
to :data:`DEFAULT_OD_PAIRS` (China–Europe pairs of the default dataset) that the network
has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from corridors.analyses.flows import FlowResult, flow_links, flow_unit, solve_flow
from corridors.analyses.options import CORRIDOR_OPTIONS, CorridorOption
from corridors.analyses.results import Route
from corridors.analyses.routing import resolve, route
from corridors.errors import CorridorsError, NoRouteError
from corridors.model.graph import Objective
from corridors.model.network import Network
from corridors.model.scenario import Closures, Scenario, apply_scenario, compose
from corridors.units import UnitError, convert

__all__ = [
    "DEFAULT_CORRIDORS",
    "DEFAULT_OD_PAIRS",
    "ENERGY_COMMODITIES",
    "SUPPLY_COUNTRIES",
    "Comparison",
    "compare",
    "od_pairs_of",
]

#: China–Europe container pairs compared when the demand table has none (node ids of the
#: default dataset; pairs the network lacks are skipped).
DEFAULT_OD_PAIRS: tuple[tuple[str, str], ...] = (
    ("chongqing", "duisburg"),
    ("xian", "hamburg"),
    ("yiwu", "madrid"),
    ("shanghai", "rotterdam"),
    ("chengdu", "lodz"),
)

#: Countries whose crude and gas exports the comparison follows.
SUPPLY_COUNTRIES: tuple[str, ...] = ("KZ", "AZ", "TM", "RU")

#: Commodities whose flows the comparison solves (when the network has them).
ENERGY_COMMODITIES: tuple[str, ...] = ("crude", "gas")

BASELINE = Scenario(name="baseline")

_OPTIONS = {o.key: o for o in CORRIDOR_OPTIONS}

#: The ways of going each pair is routed under: the best route on the whole network; the
#: best all-rail route without a ferry or sea leg (in practice the northern route through
#: Russia: without it the pair has none, and the route disappears); the Middle Corridor
#: option and the sea option of :mod:`corridors.analyses.options` ("sea" closes the land
#: bridge out of China and the Bosporus but no sea passage, so that a closed Suez shows as
#: a longer voyage round the Cape).
DEFAULT_CORRIDORS: tuple[CorridorOption, ...] = (
    CorridorOption("best", "Best route (any corridor)", Scenario(name="best")),
    CorridorOption(
        "overland",
        "Overland, no ferry or sea leg (northern rail)",
        Scenario(name="overland", close=Closures(modes=("ferry", "sea"))),
    ),
    _OPTIONS["middle_corridor"],
    CorridorOption("sea", "Sea (any passage)", _OPTIONS["sea_suez"].scenario),
)

ROUTE_COLUMNS: tuple[str, ...] = (
    "origin",
    "destination",
    "corridor",
    "status",
    "time_low_h_before",
    "time_high_h_before",
    "time_low_h_after",
    "time_high_h_after",
    "delta_time_low_h",
    "delta_time_high_h",
    "delta_time_mean_h",
    "cost_usd_before",
    "cost_usd_after",
    "delta_cost_usd",
    "length_km_before",
    "length_km_after",
    "delta_length_km",
    "countries_before",
    "countries_after",
    "modes_before",
    "modes_after",
    "passages_before",
    "passages_after",
    "corridor_changed",
    "reason",
)


@dataclass(frozen=True, eq=False)
class Comparison:
    """What a scenario changes, against the baseline or another scenario.

    Attributes
    ----------
    scenario, against
        The scenario compared ("after") and the one compared against ("before";
        ``baseline`` when nothing is applied).
    objective
        What routes minimise (``time``, ``cost`` or ``distance``).
    routes
        One row per origin–destination pair, columns :data:`ROUTE_COLUMNS`: totals before
        and after (NaN without a route), deltas (after minus before), countries, modes and
        passages (tuples), ``corridor_changed`` (the countries differ) and ``status``:
        ``unchanged`` (same links), ``changed`` (other links), ``disappeared``,
        ``appeared`` or ``no route`` (neither); ``reason`` says why a route is missing.
    delivered
        Per commodity and market: ``commodity``, ``unit``, ``market``, ``before``,
        ``after``, ``delta``.
    delivered_total
        Per commodity: ``commodity``, ``unit``, ``before``, ``after``, ``delta``.
    bottlenecks
        Min-cut elements that change: ``commodity``, ``unit``, ``id``, ``name``, ``kind``
        (link, transfer, supply, intake), ``capacity`` and ``change`` (``new``: in the
        min cut after but not before; ``relieved``: the other way round).
    exporters
        Per commodity and supply country: ``commodity``, ``unit``, ``country``,
        ``before``, ``after``, ``delta``, ``delta_pct``; largest loss first.
    notes
        What could not be compared and why (a commodity without fields, no market
        reached ...).
    """

    scenario: Scenario
    against: Scenario
    objective: str
    routes: pd.DataFrame
    delivered: pd.DataFrame
    delivered_total: pd.DataFrame
    bottlenecks: pd.DataFrame
    exporters: pd.DataFrame
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def disappeared(self) -> list[tuple[str, str, str]]:
        """``(origin, destination, corridor)`` with a route before but none after."""
        return self._with_status("disappeared")

    @property
    def appeared(self) -> list[tuple[str, str, str]]:
        """``(origin, destination, corridor)`` with a route after but none before."""
        return self._with_status("appeared")

    def _with_status(self, status: str) -> list[tuple[str, str, str]]:
        rows = self.routes[self.routes["status"] == status]
        return [
            (str(a), str(b), str(c))
            for a, b, c in zip(rows["origin"], rows["destination"], rows["corridor"], strict=True)
        ]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: the two scenarios' metadata and every table as records."""
        return {
            "scenario": _meta(self.scenario),
            "against": _meta(self.against),
            "objective": self.objective,
            "routes": _records(self.routes),
            "delivered": _records(self.delivered),
            "delivered_total": _records(self.delivered_total),
            "bottlenecks": _records(self.bottlenecks),
            "exporters": _records(self.exporters),
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """Every difference in one long table (the CSV form).

        Columns ``section`` (``route``, ``delivered``, ``delivered_total``, ``bottleneck``,
        ``exporter``), ``commodity``, ``item`` (the pair, market, element or country),
        ``metric``, ``unit``, ``before``, ``after``, ``delta`` and ``note``. Tuples are
        joined with ``;``.
        """
        rows: list[dict[str, Any]] = []

        def add(section: str, commodity: str, item: str, metric: str, unit: str, **v: Any) -> None:
            rows.append(
                {
                    "section": section,
                    "commodity": commodity,
                    "item": item,
                    "metric": metric,
                    "unit": unit,
                    "before": _flat(v.get("before")),
                    "after": _flat(v.get("after")),
                    "delta": _flat(v.get("delta")),
                    "note": v.get("note", ""),
                }
            )

        for r in self.routes.to_dict(orient="records"):
            pair = f"{r['origin']} → {r['destination']} ({r['corridor']})"
            note = f"{r['status']}{': ' + r['reason'] if r['reason'] else ''}"
            for metric, unit in (
                ("time_low_h", "h"),
                ("time_high_h", "h"),
                ("cost_usd", "USD/TEU"),
                ("length_km", "km"),
            ):
                add(
                    "route",
                    "container",
                    pair,
                    metric,
                    unit,
                    before=r[f"{metric}_before"],
                    after=r[f"{metric}_after"],
                    delta=r[f"delta_{metric}"],
                    note=note,
                )
            for metric in ("countries", "modes", "passages"):
                add(
                    "route",
                    "container",
                    pair,
                    metric,
                    "",
                    before=r[f"{metric}_before"],
                    after=r[f"{metric}_after"],
                    note=note,
                )
        for r in self.delivered.to_dict(orient="records"):
            add(
                "delivered", r["commodity"], r["market"], "delivered", r["unit"], **_before_after(r)
            )
        for r in self.delivered_total.to_dict(orient="records"):
            add(
                "delivered_total",
                r["commodity"],
                "all markets",
                "delivered",
                r["unit"],
                **_before_after(r),
            )
        for r in self.bottlenecks.to_dict(orient="records"):
            add(
                "bottleneck",
                r["commodity"],
                f"{r['id']} ({r['name']})",
                "capacity",
                r["unit"],
                after=r["capacity"] if r["change"] == "new" else None,
                before=r["capacity"] if r["change"] == "relieved" else None,
                note=f"{r['change']} {r['kind']}",
            )
        for r in self.exporters.to_dict(orient="records"):
            add(
                "exporter", r["commodity"], r["country"], "delivered", r["unit"], **_before_after(r)
            )
        return pd.DataFrame(
            rows,
            columns=[
                "section",
                "commodity",
                "item",
                "metric",
                "unit",
                "before",
                "after",
                "delta",
                "note",
            ],
        )


def _before_after(record: dict[Any, Any]) -> dict[str, Any]:
    """Before, after and delta of a record."""
    return {k: record[k] for k in ("before", "after", "delta")}


def _flat(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _meta(s: Scenario) -> dict[str, Any]:
    return {
        "name": s.name,
        "title": s.title,
        "date": s.date,
        "description": s.description.strip(),
        "sources": list(s.sources),
    }


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for rec in df.to_dict(orient="records"):
        row: dict[str, Any] = {}
        for k, v in rec.items():
            if isinstance(v, tuple):
                row[str(k)] = list(v)
            elif isinstance(v, float | np.floating):
                row[str(k)] = None if np.isnan(v) else round(float(v), 6)
            elif isinstance(v, np.bool_):
                row[str(k)] = bool(v)
            elif isinstance(v, np.integer):
                row[str(k)] = int(v)
            else:
                row[str(k)] = v
        out.append(row)
    return out


# ------------------------------------------------------------------------------ routes


def od_pairs_of(net: Network) -> list[tuple[str, str]]:
    """The pairs :func:`compare` routes by default.

    The container pairs of the demand table (node ids, first-seen order) when it has
    any; else the :data:`DEFAULT_OD_PAIRS` whose both ends the network has.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> pairs = od_pairs_of(load())
    >>> ("chongqing", "duisburg") in pairs
    True
    """
    demand = net.demand
    if len(demand) and {"origin", "destination", "commodity"} <= set(demand.columns):
        rows = demand[demand["commodity"] == "container"]
        pairs = list(dict.fromkeys(zip(rows["origin"], rows["destination"], strict=True)))
        if pairs:
            return [(str(a), str(b)) for a, b in pairs]
    known = set(net.nodes.index)
    return [(a, b) for a, b in DEFAULT_OD_PAIRS if a in known and b in known]


def _best(
    net: Network, a: str, b: str, scenario: Scenario, objective: str
) -> tuple[Route | None, str]:
    try:
        return route(net, a, b, optimize=objective, scenario=scenario), ""
    except NoRouteError as exc:
        return None, str(exc)


def _totals(r: Route | None) -> dict[str, Any]:
    if r is None:
        nan = float("nan")
        return {
            "time_low_h": nan,
            "time_high_h": nan,
            "cost_usd": nan,
            "length_km": nan,
            "countries": (),
            "modes": (),
            "passages": (),
        }
    cost = r.cost_usd
    return {
        "time_low_h": r.time_h.low,
        "time_high_h": r.time_h.high,
        "cost_usd": float("nan") if cost is None else cost,
        "length_km": r.length_km,
        "countries": r.countries,
        "modes": r.modes,
        "passages": r.passages,
    }


def _status(before: Route | None, after: Route | None) -> str:
    if before is None:
        return "no route" if after is None else "appeared"
    if after is None:
        return "disappeared"
    return "unchanged" if before.link_ids == after.link_ids else "changed"


def _under(scenario: Scenario, option: CorridorOption) -> Scenario:
    return scenario if option.scenario.is_empty() else compose([scenario, option.scenario])


def _route_rows(
    net: Network,
    pairs: Sequence[tuple[str, str]],
    scenario: Scenario,
    against: Scenario,
    objective: str,
    corridors: Sequence[CorridorOption],
) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    names = net.nodes["name"].astype(str)
    ends = [(resolve(net, origin), resolve(net, destination)) for origin, destination in pairs]
    for (a, b), option in ((e, o) for e in ends for o in corridors):
        before, why_before = _best(net, a, b, _under(against, option), objective)
        after, why_after = _best(net, a, b, _under(scenario, option), objective)
        x, y = _totals(before), _totals(after)
        row: dict[str, Any] = {
            "origin": names[a],
            "destination": names[b],
            "corridor": option.key,
            "status": _status(before, after),
        }
        for metric in ("time_low_h", "time_high_h", "cost_usd", "length_km"):
            row[f"{metric}_before"] = x[metric]
            row[f"{metric}_after"] = y[metric]
        row["delta_time_low_h"] = y["time_low_h"] - x["time_low_h"]
        row["delta_time_high_h"] = y["time_high_h"] - x["time_high_h"]
        row["delta_time_mean_h"] = (row["delta_time_low_h"] + row["delta_time_high_h"]) / 2
        row["delta_cost_usd"] = y["cost_usd"] - x["cost_usd"]
        row["delta_length_km"] = y["length_km"] - x["length_km"]
        for metric in ("countries", "modes", "passages"):
            row[f"{metric}_before"] = x[metric]
            row[f"{metric}_after"] = y[metric]
        row["corridor_changed"] = (
            before is not None and after is not None and x["countries"] != y["countries"]
        )
        row["reason"] = why_after or why_before
        rows.append(row)
    return pd.DataFrame(rows, columns=list(ROUTE_COLUMNS))


# ------------------------------------------------------------------------------ energy


def _supply_fields(net: Network, commodity: str, countries: Sequence[str]) -> list[str]:
    """Fields in ``countries`` that supply ``commodity`` (as ``solve_flow`` reads a country)."""
    unit = flow_unit(net, commodity)
    links = flow_links(net, commodity)
    in_graph = set(links["from"]) | set(links["to"])
    nodes = net.nodes
    out: list[str] = []
    for node in nodes.index[(nodes["kind"] == "field") & nodes["country"].isin(countries)]:
        cap = float(cast(float, nodes.at[node, "capacity"]))
        if np.isnan(cap):
            if node in in_graph:
                out.append(str(node))
            continue
        try:
            value = convert(cap, str(nodes.at[node, "capacity_unit"]), unit)
        except UnitError:
            continue
        if value > 0:
            out.append(str(node))
    return out


def _solve(
    work: Network, commodity: str, fields: Sequence[str], markets: Sequence[str] | None
) -> tuple[FlowResult | None, str]:
    if not fields:
        return None, "no supplying field"
    try:
        return solve_flow(work, commodity, list(fields), markets), ""
    except CorridorsError as exc:
        return None, str(exc)


def _flows(
    net: Network,
    commodity: str,
    countries: Sequence[str],
    markets: Sequence[str] | None,
    scenarios: Sequence[Scenario],
) -> tuple[list[tuple[FlowResult | None, str]], list[str]]:
    """Max flow from the countries' fields under each scenario, on the same countries.

    A country whose flow alone fails under either scenario (unbounded: no capacity on a
    whole path) is left out of both solves, so that before and after stay comparable.
    """
    works = [apply_scenario(net, s) for s in scenarios]
    fields = [{c: _supply_fields(w, commodity, [c]) for c in countries} for w in works]
    left_out: dict[str, str] = {}
    for work, by_country in zip(works, fields, strict=True):
        for country, found in by_country.items():
            if found and country not in left_out:
                res, why = _solve(work, commodity, found, markets)
                if res is None and "unbounded" in why:
                    left_out[country] = why
    notes = [f"{commodity} from {c} left out: {why}" for c, why in left_out.items()]
    out = [
        _solve(
            work,
            commodity,
            [f for c, found in by_country.items() if c not in left_out for f in found],
            markets,
        )
        for work, by_country in zip(works, fields, strict=True)
    ]
    return out, notes


def _energy(
    net: Network,
    scenario: Scenario,
    against: Scenario,
    commodities: Sequence[str],
    countries: Sequence[str],
    markets: Sequence[str] | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    delivered: list[dict[str, Any]] = []
    totals: list[dict[str, Any]] = []
    cuts: list[dict[str, Any]] = []
    exporters: list[dict[str, Any]] = []
    notes: list[str] = []
    country_of = dict(zip(net.nodes["name"].astype(str), net.nodes["country"], strict=False))
    for commodity in commodities:
        if commodity not in net.commodities.index:
            continue
        unit = flow_unit(net, commodity)
        ((before, why_before), (after, why_after)), left_out = _flows(
            net, commodity, countries, markets, (against, scenario)
        )
        notes.extend(left_out)
        if before is None and after is None:
            notes.append(f"{commodity}: not compared ({why_before})")
            continue
        for label, res, why in (("before", before, why_before), ("after", after, why_after)):
            if res is None:
                notes.append(f"{commodity} {label}: nothing delivered ({why})")
        b_sink = before.by_sink if before else {}
        a_sink = after.by_sink if after else {}
        for market in dict.fromkeys([*b_sink, *a_sink]):
            x, y = b_sink.get(market, 0.0), a_sink.get(market, 0.0)
            delivered.append(
                {
                    "commodity": commodity,
                    "unit": unit,
                    "market": market,
                    "before": x,
                    "after": y,
                    "delta": y - x,
                }
            )
        x_total = before.delivered_total if before else 0.0
        y_total = after.delivered_total if after else 0.0
        totals.append(
            {
                "commodity": commodity,
                "unit": unit,
                "before": x_total,
                "after": y_total,
                "delta": y_total - x_total,
            }
        )
        b_cut = {c.id: c for c in (before.min_cut if before else ())}
        a_cut = {c.id: c for c in (after.min_cut if after else ())}
        for change, here, there in (("new", a_cut, b_cut), ("relieved", b_cut, a_cut)):
            for cid, c in here.items():
                if cid not in there:
                    cuts.append(
                        {
                            "commodity": commodity,
                            "unit": unit,
                            "id": cid,
                            "name": c.name,
                            "kind": c.kind,
                            "capacity": c.capacity,
                            "change": change,
                        }
                    )
        by_country: dict[str, list[float]] = {c: [0.0, 0.0] for c in countries}
        for i, res in enumerate((before, after)):
            for name, volume in (res.by_source if res else {}).items():
                code = str(country_of.get(name, "?"))
                by_country.setdefault(code, [0.0, 0.0])[i] += volume
        for code, (x, y) in by_country.items():
            if x == 0 and y == 0:
                continue
            exporters.append(
                {
                    "commodity": commodity,
                    "unit": unit,
                    "country": code,
                    "before": x,
                    "after": y,
                    "delta": y - x,
                    "delta_pct": 100 * (y - x) / x if x > 0 else float("nan"),
                }
            )
    exp = pd.DataFrame(
        exporters,
        columns=["commodity", "unit", "country", "before", "after", "delta", "delta_pct"],
    )
    exp = exp.sort_values(["delta", "commodity", "country"], kind="stable").reset_index(drop=True)
    return (
        pd.DataFrame(
            delivered, columns=["commodity", "unit", "market", "before", "after", "delta"]
        ),
        pd.DataFrame(totals, columns=["commodity", "unit", "before", "after", "delta"]),
        pd.DataFrame(
            cuts, columns=["commodity", "unit", "id", "name", "kind", "capacity", "change"]
        ),
        exp,
        notes,
    )


# ------------------------------------------------------------------------------ public


def compare(
    net: Network,
    scenario: Scenario,
    *,
    against: Scenario | None = None,
    od_pairs: Sequence[tuple[str, str]] | None = None,
    markets: Sequence[str] | None = None,
    objective: Objective | str = Objective.TIME,
    corridors: Sequence[CorridorOption] = DEFAULT_CORRIDORS,
    commodities: Sequence[str] = ENERGY_COMMODITIES,
    supply_countries: Sequence[str] = SUPPLY_COUNTRIES,
) -> Comparison:
    """Compare ``scenario`` with the baseline (or with ``against``).

    Parameters
    ----------
    net
        A validated network.
    scenario
        The scenario whose effect is wanted ("after").
    against
        What it is compared with ("before"); ``None``: the network as it is.
    od_pairs
        Origin–destination pairs (names, aliases or ids) to route; ``None``: see
        :func:`od_pairs_of`. An unknown place raises.
    markets
        Sinks of the energy flows (names, ids or country codes); ``None``: every market
        the commodity's links reach.
    objective
        What routes minimise: ``time`` (default), ``cost`` or ``distance``.
    corridors
        The ways of going each pair is routed under (:data:`DEFAULT_CORRIDORS`: the best
        route, northern rail, Middle Corridor, sea); each option's closures are added to
        both scenarios. Pass only the first to route the best route alone.
    commodities
        Energy commodities to solve flows for (those the network lacks are skipped).
    supply_countries
        Countries whose fields supply the flows.

    Returns
    -------
    Comparison
        Routes, delivered volumes, new bottlenecks and exporters' losses.

    Raises
    ------
    UnknownPlaceError
        For a pair naming a place the network does not have.
    ScenarioError
        If either scenario names links, nodes or passages the network does not have.

    Examples
    --------
    >>> import corridors as cx
    >>> net = cx.load()
    >>> c = compare(net, cx.load_scenario("red-sea-closed-2024"),
    ...             od_pairs=[("Shanghai", "Rotterdam")], commodities=())
    >>> row = c.routes.set_index("corridor").loc["sea"]
    >>> row["status"], "suez" in row["passages_before"], "cape" in row["passages_after"]
    ('changed', True, True)
    >>> bool(row["delta_time_mean_h"] > 0)
    True
    """
    against = against or BASELINE
    objective = Objective(objective).value
    # apply both first, so that unknown ids fail before any routing
    apply_scenario(net, against)
    apply_scenario(net, scenario)
    pairs = list(od_pairs) if od_pairs is not None else od_pairs_of(net)
    routes = _route_rows(net, pairs, scenario, against, objective, corridors)
    delivered, totals, cuts, exporters, notes = _energy(
        net, scenario, against, list(commodities), list(supply_countries), markets
    )
    return Comparison(
        scenario=scenario,
        against=against,
        objective=objective,
        routes=routes,
        delivered=delivered,
        delivered_total=totals,
        bottlenecks=cuts,
        exporters=exporters,
        notes=tuple(notes),
    )
