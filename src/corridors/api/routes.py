"""Routes: load a network, the best route and K genuinely different alternatives."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from corridors.api.data import _data_folder

if TYPE_CHECKING:
    from corridors.model.graph import Objective
    from corridors.model.network import Network
    from corridors.model.scenario import Scenario
    from corridors.results.route import Route


__all__ = ["load", "route", "route_alternatives"]


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
