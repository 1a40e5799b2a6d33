"""Request parameters shared by several endpoints, checked once at the door.

Lists arrive comma-separated (``avoid=RU,BY``), as on the command line. Scenarios are
named: a client picks a shipped scenario by name and adds closures; it never names a
file (``--data`` is the operator's choice only).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any

import pandas as pd
from fastapi import Query

from corridors.errors import ScenarioError
from corridors.model.network import Network
from corridors.model.scenario import Closures, Scenario, compose, load_scenario, shipped_scenarios
from corridors.web.errors import ApiError
from corridors.web.limits import Limits

__all__ = [
    "Closed",
    "csv_list",
    "scenario_from_request",
    "shipped",
]

_CODE = re.compile(r"^[A-Za-z]{2}$")
_ID = re.compile(r"^[A-Za-z0-9_\-]{1,80}$")

ListParam = Annotated[str, Query(max_length=600)]


def csv_list(value: str, field: str, limits: Limits) -> list[str]:
    """Items of a comma-separated parameter, stripped, duplicates dropped, bounded.

    Examples
    --------
    >>> csv_list(" RU, BY ,RU", "avoid", Limits())
    ['RU', 'BY']
    """
    items = list(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if len(items) > limits.max_items:
        raise ApiError(422, "too_many_items", field, f"{field}: at most {limits.max_items} items")
    return items


@cache
def shipped(name: str) -> Scenario:
    """A shipped scenario by name (loaded once); never a path."""
    return load_scenario(shipped_scenarios()[name])


def _shipped_or_error(name: str) -> Scenario:
    if name not in shipped_scenarios():
        known = ", ".join(shipped_scenarios())
        raise ApiError(
            422, "unknown_scenario", "scenario", f"no shipped scenario {name!r} ({known})"
        )
    return shipped(name)


class Closed:
    """The closure parameters of a request, checked against the network."""

    def __init__(
        self,
        *,
        avoid: str = "",
        avoid_passage: str = "",
        avoid_mode: str = "",
        close_node: str = "",
        close_link: str = "",
    ) -> None:
        self.raw = {
            "avoid": avoid,
            "avoid_passage": avoid_passage,
            "avoid_mode": avoid_mode,
            "close_node": close_node,
            "close_link": close_link,
        }

    def checked(self, net: Network, limits: Limits) -> dict[str, tuple[str, ...]]:
        """Sorted, validated closures by kind (``countries``, ``passages`` ...)."""
        lists = {k: csv_list(v, k, limits) for k, v in self.raw.items()}
        countries = [c.upper() for c in lists["avoid"]]
        for c in countries:
            if not _CODE.match(c):
                raise ApiError(422, "invalid_country", "avoid", f"{c!r} is not an ISO alpha-2 code")
        lists["avoid_passage"] = [p.lower() for p in lists["avoid_passage"]]
        lists["avoid_mode"] = [m.lower() for m in lists["avoid_mode"]]
        known = {
            "avoid_passage": net.passages.index,
            "avoid_mode": pd.Index(net.modes["mode"]),
            "close_node": net.nodes.index,
            "close_link": net.links.index,
        }
        for field, ids in known.items():
            for item in lists[field]:
                if not _ID.match(item) or item not in ids:
                    raise ApiError(422, "unknown_id", field, f"{field}: unknown id {item!r}")
        return {
            "countries": tuple(sorted(set(countries))),
            "passages": tuple(sorted(set(lists["avoid_passage"]))),
            "modes": tuple(sorted(set(lists["avoid_mode"]))),
            "nodes": tuple(sorted(set(lists["close_node"]))),
            "links": tuple(sorted(set(lists["close_link"]))),
        }


def scenario_from_request(
    net: Network, limits: Limits, scenario: str, closed: Closed | None = None
) -> tuple[Scenario, tuple[Any, ...]]:
    """The scenario a request asks for, and a hashable key of it for the answer cache.

    Parameters
    ----------
    net, limits
        The app's network and limits.
    scenario
        Shipped scenario names, comma-separated (empty: none).
    closed
        Closures given as parameters, applied on top.
    """
    names = csv_list(scenario, "scenario", limits)
    parts = [_shipped_or_error(n) for n in names]
    close = closed.checked(net, limits) if closed is not None else {}
    if any(close.values()):
        words = "; ".join(f"avoid {','.join(v)}" for v in close.values() if v)
        try:
            parts.append(Scenario(name=words, close=Closures.model_validate(close)))
        except ValueError as exc:
            raise ApiError(422, "invalid_closure", "avoid", str(exc)) from None
    try:
        return compose(parts), (tuple(names), tuple(close.items()))
    except ScenarioError as exc:
        raise ApiError(422, "invalid_scenario", "scenario", str(exc)) from None
