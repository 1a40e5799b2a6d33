"""The corridor options between two places, each a scenario.

Northern rail, Middle Corridor, sea via Suez and via the Cape: the comparison is the same
routing run under several scenarios. The options are dataset facts: the network's
``analysis_defaults.yaml`` names them, with their closures
(:class:`corridors.model.analysis_defaults.CorridorOptionSpec`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corridors.analyses.routing.search import route
from corridors.errors import NoRouteError
from corridors.model.analysis_defaults import CorridorOptionSpec, missing
from corridors.model.network import Network
from corridors.model.scenario import Closures, Scenario
from corridors.results.route import Route

__all__ = [
    "CorridorOption",
    "OptionResult",
    "corridor_options",
    "named_options",
    "option_of",
]


@dataclass(frozen=True, slots=True)
class CorridorOption:
    """A named way of going, as closures on the network."""

    key: str
    label: str
    scenario: Scenario


def option_of(spec: CorridorOptionSpec) -> CorridorOption:
    """The option a dataset's spec describes, its closures as a scenario.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> o = option_of(load().defaults.option("sea_cape"))
    >>> o.scenario.close.passages
    ('suez', 'babalmandab', 'bosporus')
    """
    close = Closures.model_validate(spec.close.model_dump())
    return CorridorOption(spec.key, spec.label, Scenario(name=spec.key, close=close))


def named_options(
    net: Network, keys: Sequence[str] | None = None, *, section: str = "corridor_options"
) -> tuple[CorridorOption, ...]:
    """The network's corridor options named ``keys`` (``None``: every option), in order.

    Raises
    ------
    CorridorsError
        If the network has no analysis defaults, or no option of a key.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> [o.key for o in named_options(load(), ["sea", "best"])]
    ['sea', 'best']
    """
    if net.defaults is None:
        raise missing(section, "options")
    d = net.defaults
    specs = d.corridor_options if keys is None else tuple(d.option(k) for k in keys)
    return tuple(option_of(s) for s in specs)


@dataclass(frozen=True, slots=True)
class OptionResult:
    """The best route under one option, or why there is none."""

    option: CorridorOption
    route: Route | None
    error: str = ""


def corridor_options(
    net: Network,
    origin: str,
    destination: str,
    *,
    options: Sequence[CorridorOption] | None = None,
) -> list[OptionResult]:
    """Best route from ``origin`` to ``destination`` under each corridor option.

    Each option is a scenario; an option with no route carries the reason instead.
    ``options`` default to the network's ``demo.options`` (``analysis_defaults.yaml``);
    a network without them needs ``options``.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> results = corridor_options(load(), "Chongqing", "Duisburg")
    >>> [r.option.key for r in results]
    ['rail_north', 'middle_corridor', 'sea_suez', 'sea_cape']
    """
    if options is None:
        demo = net.defaults.demo if net.defaults is not None else None
        if demo is None:
            raise missing("demo.options", "options")
        options = named_options(net, demo.options)
    out: list[OptionResult] = []
    for option in options:
        try:
            out.append(
                OptionResult(option, route(net, origin, destination, scenario=option.scenario))
            )
        except NoRouteError as exc:
            out.append(OptionResult(option, None, str(exc)))
    return out
