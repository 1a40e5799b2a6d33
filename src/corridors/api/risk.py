"""Who can choke whom: criticality of elements, leverage of transit countries, the inventory."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from corridors.model.network import Network
    from corridors.model.scenario import Scenario
    from corridors.results.criticality import Criticality
    from corridors.results.inventory import Inventory
    from corridors.results.leverage import Leverage


__all__ = ["criticality", "inventory", "leverage"]


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
