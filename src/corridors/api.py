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

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

    from corridors.analyses.flows.solve import FlowResult
    from corridors.model.graph import Objective
    from corridors.model.network import Network
    from corridors.model.scenario import Scenario
    from corridors.results.assignment import Assignment
    from corridors.results.calibration import Calibration
    from corridors.results.compare import Comparison
    from corridors.results.criticality import Criticality
    from corridors.results.inventory import Inventory
    from corridors.results.leverage import Leverage
    from corridors.results.route import Route

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


def load(path: str | Path | None = None) -> Network:
    """Load and validate a network from a folder of CSV tables (cached on disk).

    Parameters
    ----------
    path
        Folder of tables in the layout of ``docs/data.md``; ``None``: the embedded
        default dataset (Eurasia).

    Returns
    -------
    Network
        The validated network. A second load of unchanged tables comes from a cache
        keyed by a fingerprint of every file (``CORRIDORS_NO_CACHE=1`` turns it off).

    Raises
    ------
    DataError
        Listing every problem found, each with file, row, column and value.

    Examples
    --------
    >>> net = load()
    >>> net.label, "duisburg" in net.nodes.index
    ('default', True)
    """
    from corridors.model.network import load as load_network

    return load_network(path)


def route(
    net: Network,
    origin: str,
    destination: str,
    *,
    commodity: str = "container",
    optimize: Objective | str = "time",
    scenario: Scenario | None = None,
    via: Sequence[str] = (),
    value_of_time: float | None = None,
    percentiles: bool = False,
) -> Route:
    """The best route between two places.

    Parameters
    ----------
    net
        A network from :func:`load`.
    origin, destination
        Place names, ids or aliases (``"Xi'an"``, ``"Dostyk"``, ``"Malaszewicze"``).
    commodity
        Commodity id (``container`` by default).
    optimize
        ``time`` (mean of the low and high times), ``cost``, ``distance`` or
        ``generalized`` (cost plus the value of the time in transit).
    scenario
        Closures, openings and overrides to apply first (:class:`Scenario`).
    via
        Places the route must pass, in order.
    value_of_time
        For ``optimize="generalized"``: USD per unit and day in transit (default: the
        commodity's value in the data).
    percentiles
        Also draw the door-to-door time (10,000 seeded Monte Carlo draws over the time
        ranges and the disruption events of the folder ``net`` was loaded from, none for
        a network built in memory; ``docs/uncertainty.md``; about 25 ms):
        ``totals.time_days`` then carries ``p10``, ``p50`` and ``p90``.

    Returns
    -------
    Route
        Legs, stops, length, time range, cost, countries and passages.

    Raises
    ------
    UnknownPlaceError
        For a name the network does not know (with close matches).
    NoRouteError
        If no route exists under the scenario.

    Examples
    --------
    >>> import corridors as cx
    >>> net = cx.load()
    >>> r = route(net, "Chongqing", "Duisburg", scenario=cx.Scenario.from_flags(avoid=["RU"]))
    >>> "RU" in r.countries, r.length_km > 9000
    (False, True)
    >>> t = route(net, "Chongqing", "Duisburg", percentiles=True).totals.time_days
    >>> t.low <= t.p50 <= t.high, t.p10 <= t.p50 <= t.p90
    (True, True)
    """
    from corridors.analyses.routing.search import route as route_one

    found = route_one(
        net,
        origin,
        destination,
        commodity=commodity,
        optimize=optimize,
        scenario=scenario,
        via=via,
        value_of_time=value_of_time,
    )
    if not percentiles:
        return found
    from corridors.analyses.uncertainty import route_with_percentiles
    from corridors.errors import DataError
    from corridors.model.disruptions import load_disruptions

    try:
        events = load_disruptions(_data_folder(net), net=net)
    except DataError:  # not loaded from a folder: the time ranges alone
        events = ()
    return route_with_percentiles(found, events)


def route_alternatives(
    net: Network,
    origin: str,
    destination: str,
    *,
    k: int = 3,
    commodity: str = "container",
    optimize: Objective | str = "time",
    scenario: Scenario | None = None,
    value_of_time: float | None = None,
) -> list[Route]:
    """Up to ``k`` genuinely different routes between two places, best first.

    Parameters
    ----------
    net, origin, destination, commodity, optimize, scenario, value_of_time
        As for :func:`route`.
    k
        How many routes at most.

    Returns
    -------
    list of Route
        Best first; each differs from the ones before it by a good part of its length.

    Examples
    --------
    >>> import corridors as cx
    >>> routes = route_alternatives(cx.load(), "Chongqing", "Duisburg", k=2)
    >>> len(routes), routes[0].link_ids != routes[1].link_ids
    (2, True)
    """
    from corridors.analyses.routing.search import route_alternatives as alternatives

    return alternatives(
        net,
        origin,
        destination,
        k=k,
        commodity=commodity,
        optimize=optimize,
        scenario=scenario,
        value_of_time=value_of_time,
    )


def flow(
    net: Network,
    commodity: str,
    sources: str | Sequence[str],
    sinks: str | Sequence[str] | None = None,
    *,
    mode: Literal["max", "mincost"] = "max",
    demand: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
    reference: float | None = None,
) -> FlowResult:
    """Maximum flow (or its least-cost routing) of crude, gas or uranium, with the min cut.

    Parameters
    ----------
    net
        A network from :func:`load`.
    commodity
        ``crude``, ``gas`` or ``uranium`` (a commodity id of the network).
    sources
        Fields (names, ids or aliases) or ISO country codes, a list or a comma-separated
        string.
    sinks
        Nodes or ISO country codes; ``None``: every market the commodity's links reach.
    mode
        ``max`` (the most that can be delivered) or ``mincost`` (that volume at least
        cost).
    demand
        Volume wanted per sink, in the commodity's flow unit.
    scenario
        Applied to ``net`` first.
    reference
        Volume to set the delivered total against (default: the exporting countries'
        actual exports in the demand table, of the supply's year).

    Returns
    -------
    FlowResult
        Delivered volumes, link flows, the min cut, shadow prices of binding capacities,
        what is left unserved, and the export summary (routes out of the exporting
        countries, shortfall against the reference).

    Examples
    --------
    >>> import corridors as cx
    >>> r = flow(cx.load(), "crude", "KZ")
    >>> r.unit, r.delivered_total > 0
    ('Mt/yr', True)
    """
    from corridors.analyses.flows.solve import flow as flow_with_exports

    return flow_with_exports(
        net,
        commodity,
        sources,
        sinks,
        mode=mode,
        demand=demand,
        scenario=scenario,
        reference=reference,
    )


def assign(
    net: Network,
    commodity: str = "container",
    *,
    scenario: Scenario | None = None,
    demand: pd.DataFrame | None = None,
) -> Assignment:
    """Assign the yearly demand to routes under link, border and port capacities.

    Parameters
    ----------
    net
        A network from :func:`load`.
    commodity
        Commodity id (``container``: demand and capacities in TEU/yr).
    scenario
        Applied to ``net`` first.
    demand
        Rows ``origin``, ``destination``, ``amount`` (optionally ``unit``, ``modes``);
        ``None``: the network's demand table.

    Returns
    -------
    Assignment
        Routes with volumes and shares, border crossings, unserved demand, the
        utilisation of every capacitated element, and the published shares beside the
        model's.

    Examples
    --------
    >>> import corridors as cx
    >>> a = assign(cx.load())
    >>> a.unit, a.assigned_total + a.unserved_total == a.demand_total
    ('TEU/yr', True)
    """
    from corridors.analyses.assignment.solve import assign as assign_demand

    return assign_demand(net, commodity, scenario=scenario, demand=demand)


def criticality(
    net: Network,
    commodity: str = "container",
    *,
    elements: str = "links",
    engine: Literal["shortest-path", "capacitated"] = "shortest-path",
    scenario: Scenario | None = None,
    k: int = 1,
    candidates: Sequence[str] | None = None,
    jobs: int = 1,
) -> Criticality:
    """Rank elements by the demand their loss cuts off or reroutes (N-1, or N-2 pairs).

    Parameters
    ----------
    net
        A network from :func:`load`.
    commodity
        ``container``, ``crude``, ``gas`` or ``uranium``.
    elements
        ``links``, ``nodes``, ``transfers``, ``passages`` or ``countries``.
    engine
        ``shortest-path`` (every OD pair routed alone, demand-weighted) or
        ``capacitated`` (the flow LP re-solved warm with each element closed; not for
        transfers).
    scenario
        Applied first.
    k, candidates
        ``k=2`` removes every pair of ``candidates`` (element ids) together
        (shortest-path engine).
    jobs
        Worker processes for the shortest-path searches.

    Returns
    -------
    Criticality
        One row per element (or pair): lost volume and share, rerouted volume, extra
        hours and USD per rerouted unit and per year, OD pairs cut off; ranked.

    Examples
    --------
    >>> import corridors as cx
    >>> net = cx.load()
    >>> r = criticality(net, "container", elements="countries")
    >>> r.engine, r.rows[0].rank, r.rows[0].lost > 0
    ('shortest-path', 1, True)
    >>> ru = next(x for x in criticality(net, "crude", elements="countries",
    ...           engine="capacitated").rows if x.element == "RU")
    >>> ru.lost > 10
    True
    """
    from corridors.errors import CorridorsError

    if engine == "capacitated":
        if k != 1:
            raise CorridorsError("k=2 runs on the shortest-path engine only")
        from corridors.analyses.criticality.capacitated import capacitated_criticality

        return capacitated_criticality(net, commodity, elements=elements, scenario=scenario)
    if engine != "shortest-path":
        raise CorridorsError(f"unknown engine {engine!r} (known: shortest-path, capacitated)")
    from corridors.analyses.criticality import shortest_path_criticality

    return shortest_path_criticality(
        net, commodity, elements=elements, scenario=scenario, k=k, candidates=candidates,
        jobs=jobs,
    )  # fmt: skip


def leverage(
    net: Network,
    commodity: str = "crude",
    *,
    exporters: Sequence[str] | None = None,
    scenario: Scenario | None = None,
) -> Leverage:
    """Each transit country's hold on each exporter: crossing and lost shares, value at risk.

    Parameters
    ----------
    net
        A network from :func:`load`.
    commodity
        ``crude``, ``gas``, ``uranium`` (flow LP) or ``container`` (shortest paths).
    exporters
        ISO codes; default every origin country of the commodity's demand rows.
    scenario
        When given, every row also carries the same measures under it (``after``).

    Returns
    -------
    Leverage
        Per exporter and transit country: exports, ``crossing_share``, ``lost`` and
        ``lost_share`` (what could not leave at all with the country closed), the
        rerouted volume and its extra USD (and km) per unit, and ``value_at_risk_usd``
        (lost volume times a sourced price); the exporters' trade partners beside.

    Examples
    --------
    >>> import corridors as cx
    >>> net = cx.load()
    >>> r = leverage(net, "crude", exporters=["KZ"],
    ...              scenario=cx.load_scenario("kazakh-caspian-oil-route"))
    >>> ru = next(row for row in r.rows if row.transit == "RU")
    >>> ru.crossing_share > 0.5, ru.after.value_at_risk_usd < ru.value_at_risk_usd
    (True, True)
    """
    from corridors.analyses.leverage import leverage as leverage_rows

    return leverage_rows(
        net, commodity, exporters=list(exporters) if exporters is not None else None,
        scenario=scenario,
    )  # fmt: skip


def inventory(net: Network, country: str = "KZ") -> Inventory:
    """A country's corridors as the network models them, beside the published counts.

    Parameters
    ----------
    net
        A network from :func:`load`.
    country
        ISO 3166-1 alpha-2 code (any case) of a country the network has a node or link in.

    Returns
    -------
    Inventory
        Every link across the country's borders by mode (rail, road, oil and gas
        pipelines, ferry and sea lines, tankers, air links touching its airports, and air
        links that only overfly it where the data lists the countries an air link
        crosses), with neighbour, capacity and status; counts per mode; the country's rows
        of ``published_counts.csv`` each beside the modelled count of the same modes; and
        what the network does not represent (``not_modelled``). ``to_frame()`` gives the
        CSV form.

    Raises
    ------
    CorridorsError
        For a code that is not an ISO country, or a country the network has nothing in.

    Examples
    --------
    >>> import corridors as cx
    >>> inv = inventory(cx.load(), "KZ")
    >>> seed = next(p for p in inv.published if p.id == "kz_seed_2022_air")
    >>> seed.count, seed.modelled > 0, inv.overflight_recorded
    (72, True, False)
    """
    from corridors.analyses.inventory import inventory as country_inventory

    return country_inventory(net, country)


def compare(
    net: Network,
    scenario: Scenario,
    *,
    against: Scenario | None = None,
    od_pairs: Sequence[tuple[str, str]] | None = None,
    markets: Sequence[str] | None = None,
    objective: Objective | str = "time",
    commodities: Sequence[str] | None = None,
    assignment: bool = True,
) -> Comparison:
    """What a scenario changes: routes, energy deliveries, bottlenecks and exporters.

    Parameters
    ----------
    net
        A network from :func:`load`.
    scenario
        The scenario whose effect is wanted ("after"); :func:`compose` joins several.
    against
        What it is compared with ("before"); ``None``: the network as it is.
    od_pairs
        Origin–destination pairs to route; ``None``: the dataset's default pairs.
    markets
        Sinks of the energy flows; ``None``: every market the commodity's links reach.
    objective
        What routes minimise: ``time``, ``cost`` or ``distance``.
    commodities
        Energy commodities to solve flows for; ``None``: the dataset's defaults.
    assignment
        Whether to assign the demand before and after too (when the network has
        demand of containers).

    Returns
    -------
    Comparison
        The routes before and after with their differences, delivered volumes, new
        and relieved bottlenecks, exporters' losses and the assignment's change.

    Examples
    --------
    >>> import corridors as cx
    >>> red_sea = cx.load_scenario("red-sea-closed-2024")
    >>> c = compare(
    ...     cx.load(), red_sea, od_pairs=[("Shanghai", "Hamburg")], commodities=[], assignment=False
    ... )
    >>> bool((c.routes_frame()["delta_length_km"] >= 0).all())
    True
    """
    from corridors.analyses.compare.comparison import compare as compare_scenarios

    return compare_scenarios(
        net,
        scenario,
        against=against,
        od_pairs=od_pairs,
        markets=markets,
        objective=objective,
        commodities=commodities,
        assignment=assignment,
    )


def calibrate(
    net: Network, published: pd.DataFrame | None = None, *, data: str | Path | None = None
) -> Calibration:
    """The model's end-to-end figures beside published ones (km, days, USD).

    Parameters
    ----------
    net
        A network from :func:`load`.
    published
        Rows of a calibration table; ``None``: the ``calibration.csv`` of ``data``.
    data
        Dataset folder to read the calibration table from; ``None``: the folder ``net``
        was loaded from (the embedded dataset for ``load()``).

    Returns
    -------
    Calibration
        One row per published figure: the published range, the model's, the
        difference, the tolerance and the verdict (``frame()`` gives a DataFrame).

    Raises
    ------
    DataError
        If the folder has no calibration table or a row of it is malformed, or if
        ``net`` was not loaded from a folder and neither ``published`` nor ``data``
        is given.

    Examples
    --------
    >>> import corridors as cx
    >>> cal = calibrate(cx.load())
    >>> len(cal.rows) > 10, cal.n_within > len(cal.rows) / 2
    (True, True)
    """
    from corridors.analyses.calibration.checks import calibrate as calibrate_figures

    if published is None:
        from corridors.io.tables import read_calibration

        published = read_calibration(Path(data) if data is not None else _data_folder(net))
    return calibrate_figures(net, published)


def _data_folder(net: Network) -> Path:
    """The folder ``net`` was loaded from, read from its label (``folder + scenario``)."""
    from corridors.errors import DataError, Problem
    from corridors.io.tables import default_data_dir

    origin = net.label.split(" + ")[0]
    if origin == "default":
        return default_data_dir()
    if Path(origin).is_dir():
        return Path(origin)
    raise DataError(
        [Problem(net.label, 0, "", "", "not loaded from a folder: pass published= or data=")]
    )
