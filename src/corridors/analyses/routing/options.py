"""The corridor options between two places, each a scenario.

Northern rail, Middle Corridor, sea via Suez and via the Cape: the comparison is the same
routing run four times under four scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridors.analyses.routing.search import route
from corridors.errors import NoRouteError
from corridors.model.network import Network
from corridors.model.scenario import Closures, Scenario
from corridors.results.route import Route

__all__ = [
    "CORRIDOR_OPTIONS",
    "LAND_BRIDGE",
    "CorridorOption",
    "OptionResult",
    "corridor_options",
]


@dataclass(frozen=True, slots=True)
class CorridorOption:
    """A named way of going, as closures on the network."""

    key: str
    label: str
    scenario: Scenario


def _option(key: str, label: str, **close: tuple[str, ...]) -> CorridorOption:
    return CorridorOption(key, label, Scenario(name=key, close=Closures.model_validate(close)))


#: Every overland route out of China to the west crosses one of these.
LAND_BRIDGE = ("KZ", "MN", "RU", "KG")

#: The options the demo and the calibration compare, best route under each. Overland
#: options close the Strait of Malacca (no deep-sea leg from China); sea options close the
#: land bridge out of China (inland places reach the ports by rail or road feeders) and the
#: Bosporus, so that the sea leg runs to a North Sea or Mediterranean port rather than to
#: the Black Sea and on by rail.
CORRIDOR_OPTIONS: tuple[CorridorOption, ...] = (
    _option(
        "rail_north",
        "Northern rail (Kazakhstan/Mongolia, Russia, Belarus)",
        modes=("ferry",),
        passages=("malacca",),
    ),
    _option(
        "middle_corridor",
        "Middle Corridor (Russia and Belarus avoided)",
        countries=("RU", "BY"),
        passages=("malacca",),
    ),
    _option("sea_suez", "Sea via Suez", countries=LAND_BRIDGE, passages=("bosporus",)),
    _option(
        "sea_cape",
        "Sea via the Cape (Suez and Red Sea closed)",
        countries=LAND_BRIDGE,
        passages=("suez", "babalmandab", "bosporus"),
    ),
)


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
    options: tuple[CorridorOption, ...] = CORRIDOR_OPTIONS,
) -> list[OptionResult]:
    """Best route from ``origin`` to ``destination`` under each corridor option.

    Each option is a scenario (see :data:`CORRIDOR_OPTIONS`); an option with no route
    carries the reason instead.
    """
    out: list[OptionResult] = []
    for option in options:
        try:
            out.append(
                OptionResult(option, route(net, origin, destination, scenario=option.scenario))
            )
        except NoRouteError as exc:
            out.append(OptionResult(option, None, str(exc)))
    return out
