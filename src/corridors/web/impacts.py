"""The one place the web layer calls the criticality and leverage analyses.

The analyses are being extended elsewhere; every call to them from the web layer goes
through this module, so a change of signature is followed here only. Nothing here
computes an answer: it says which sweeps a request may ask for, how large a sweep would
be (to refuse it before it runs), and calls the analysis the CLI calls
(``corridors criticality``, ``corridors leverage``) with the same arguments.
"""

from __future__ import annotations

from pathlib import Path

from corridors.model.graph import usable_links
from corridors.model.network import Network
from corridors.model.scenario import Scenario
from corridors.results.criticality import Criticality
from corridors.results.leverage import Leverage

__all__ = [
    "ELEMENTS",
    "ENGINES",
    "criticality",
    "leverage",
    "sweep_size",
]

#: Kinds of element a sweep removes, one at a time.
ELEMENTS = ("links", "nodes", "transfers", "passages", "countries")

#: The sweeps a request may ask for: engine -> kinds of element it removes (the
#: capacitated engine closes elements by a scenario, and a scenario cannot close a
#: transfer).
ENGINES: dict[str, tuple[str, ...]] = {
    "shortest-path": ELEMENTS,
    "capacitated": ("links", "nodes", "passages", "countries"),
}


def sweep_size(net: Network, commodity: str, elements: str) -> int:
    """How many elements a sweep of ``elements`` may remove (an upper bound, before it runs).

    Examples
    --------
    >>> import corridors as cx
    >>> net = cx.load()
    >>> sweep_size(net, "container", "passages") == len(net.passages)
    True
    """
    if elements == "links":
        return len(usable_links(net, commodity))
    if elements == "nodes":
        return len(net.nodes)
    if elements == "transfers":
        return len(net.transfers)
    if elements == "passages":
        return len(net.passages)
    return len(net.countries())


def criticality(
    net: Network,
    commodity: str,
    *,
    elements: str,
    engine: str,
    scenario: Scenario | None,
) -> Criticality:
    """Every element's impact, ranked, with its geometry (the page colours the map by it).

    Parameters
    ----------
    net
        The app's network.
    commodity
        Commodity id.
    elements
        One of :data:`ELEMENTS` allowed for ``engine`` (:data:`ENGINES`).
    engine
        ``shortest-path`` or ``capacitated``.
    scenario
        Applied before the sweep (None: the network as loaded).

    Returns
    -------
    Criticality
        As ``corridors criticality --json`` prints it (all rows; the caller cuts ``top``).
    """
    if engine == "capacitated":
        from corridors.analyses.criticality.capacitated import capacitated_criticality

        return capacitated_criticality(net, commodity, elements=elements, scenario=scenario)
    from corridors.analyses.criticality import shortest_path_criticality

    # One process: a web request never starts worker processes or a cluster.
    return shortest_path_criticality(
        net, commodity, elements=elements, scenario=scenario, jobs=1, geometry=True
    )


def leverage(
    net: Network,
    commodity: str,
    *,
    exporters: list[str] | None,
    scenario: Scenario | None,
    data_path: Path | None,
) -> Leverage:
    """Each transit country's hold on each exporter, as ``corridors leverage --json``.

    Parameters
    ----------
    net
        The app's network.
    commodity
        ``crude``, ``gas``, ``uranium`` or ``container``.
    exporters
        ISO codes (None: every exporter of the commodity).
    scenario
        When given, every row also carries the measures under it (``after``).
    data_path
        The operator's ``--data`` folder, for its prices and export partners (None: the
        embedded dataset's).
    """
    from corridors.analyses.leverage import leverage as run
    from corridors.model.prices import load_export_partners, load_prices

    return run(
        net,
        commodity,
        exporters=exporters,
        scenario=scenario,
        prices=load_prices(data_path, sources=net.sources),
        partners=load_export_partners(data_path, sources=net.sources),
    )
