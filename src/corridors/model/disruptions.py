"""Disruption events: a side table of a data folder, typed from ``data/schema.csv``.

``disruptions.csv`` (and ``disruptions_<part>.csv``) lists events that delay a trip with
some probability: Caspian storms that close the ferries, queue episodes at the main rail
crossings, a blocked Suez Canal. Each row names what it hits (link, node or passage ids),
how many days a year the targets are closed or congested, how long one episode lasts, and
the range of time a trip that meets it loses. ``shared = yes`` means one draw per trip for
all targets together: one storm closes every Caspian crossing at once.

The table is checked like the network tables: required values, numbers, ``low <= high``,
a source (in the network's sources) or an estimate note, and, given a network, that every
target exists in it. Every problem is reported at once in one :class:`DataError`.

Examples
--------
>>> from corridors.model.network import load
>>> net = load()
>>> events = {d.id: d for d in load_disruptions(net=net)}
>>> storm = events["caspian_storm"]
>>> storm.applies_to, storm.shared, round(storm.episodes_per_year, 2)
('link', True, 5.45)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from corridors.errors import DataError, Problem
from corridors.io.tables import default_data_dir
from corridors.model.schema import table_schema

if TYPE_CHECKING:
    from corridors.model.network import Network

__all__ = ["Disruption", "load_disruptions"]

TABLE = "disruptions"


@dataclass(frozen=True, slots=True)
class Disruption:
    """One disruption event (a row of ``disruptions.csv``).

    Attributes
    ----------
    id, name
        Event id and display name.
    applies_to
        ``link``, ``node`` or ``passage``: what ``targets`` are.
    targets
        Ids of the links, nodes or passages hit.
    shared
        One draw per trip for all targets together (True) or one per target.
    days_per_year
        Days a year the targets are closed or congested (long-run average).
    episode_days
        Mean length of one episode, days.
    delay_low_h, delay_mode_h, delay_high_h
        Time lost by a trip that meets the event (mode: None when no source gives one).
    sources
        Source ids.
    """

    id: str
    name: str
    applies_to: str
    targets: tuple[str, ...]
    shared: bool
    days_per_year: float
    episode_days: float
    delay_low_h: float
    delay_mode_h: float | None
    delay_high_h: float
    sources: tuple[str, ...] = ()

    @property
    def closed_share(self) -> float:
        """Share of the time the targets are closed or congested (``days_per_year / 365``)."""
        return self.days_per_year / 365.0

    @property
    def episodes_per_year(self) -> float:
        """Episodes a year: days per year over the mean episode length."""
        return self.days_per_year / self.episode_days


def _number(text: str, where: tuple[str, int, str], problems: list[Problem]) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(*where, text, "not a number"))
        return None
    if not value >= 0:
        problems.append(Problem(*where, text, "must be >= 0"))
    return value


def _row(row: dict[str, str], file: str, line: int, problems: list[Problem]) -> Disruption | None:
    text = {spec.name: (row.get(spec.name) or "").strip() for spec in table_schema(TABLE)}
    before = len(problems)
    for spec in table_schema(TABLE):
        value = text[spec.name]
        if spec.required and not value:
            problems.append(Problem(file, line, spec.name, "", "required value is missing"))
        elif value and spec.choices and value not in spec.choices:
            problems.append(
                Problem(file, line, spec.name, value, f"must be one of {'|'.join(spec.choices)}")
            )
    nums = {
        spec.name: _number(text[spec.name], (file, line, spec.name), problems)
        for spec in table_schema(TABLE)
        if spec.is_number
    }
    low, mode, high = nums["delay_low_h"], nums["delay_mode_h"], nums["delay_high_h"]
    if low is not None and high is not None and low > high:
        problems.append(Problem(file, line, "delay_low_h", f"{low:g}", f"is above {high:g}"))
    if mode is not None and low is not None and high is not None and not low <= mode <= high:
        problems.append(Problem(file, line, "delay_mode_h", f"{mode:g}", "outside low-high"))
    if nums["episode_days"] == 0:
        problems.append(Problem(file, line, "episode_days", "0", "must be above 0"))
    sources = tuple(s.strip() for s in text["sources"].split(";") if s.strip())
    if not sources and not text["estimate"]:
        problems.append(
            Problem(file, line, "sources", "", "numbers without a source or an estimate note")
        )
    if len(problems) > before:
        return None
    return Disruption(
        id=text["id"],
        name=text["name"],
        applies_to=text["applies_to"],
        targets=tuple(t.strip() for t in text["targets"].split(";") if t.strip()),
        shared=text["shared"] == "yes",
        days_per_year=float(nums["days_per_year"] or 0.0),
        episode_days=float(nums["episode_days"] or 1.0),
        delay_low_h=float(low or 0.0),
        delay_mode_h=mode,
        delay_high_h=float(high or 0.0),
        sources=sources,
    )


def _check_against(
    events: list[tuple[Disruption, str, int]], net: Network, problems: list[Problem]
) -> None:
    known = {
        "link": set(net.links.index),
        "node": set(net.nodes.index),
        "passage": set(net.passages.index),
    }
    sources = set(net.sources.index)
    seen: set[str] = set()
    for event, file, line in events:
        if event.id in seen:
            problems.append(Problem(file, line, "id", event.id, "duplicate disruptions id"))
        seen.add(event.id)
        problems.extend(
            Problem(file, line, "targets", t, f"unknown {event.applies_to} id")
            for t in event.targets
            if t not in known[event.applies_to]
        )
        problems.extend(
            Problem(file, line, "sources", s, "unknown source id")
            for s in event.sources
            if s not in sources
        )


def load_disruptions(
    folder: str | Path | None = None, *, net: Network | None = None
) -> tuple[Disruption, ...]:
    """Read and check the disruption events of a data folder.

    Parameters
    ----------
    folder
        Folder of tables (default: the embedded dataset). A folder without a
        ``disruptions.csv`` has no events.
    net
        When given, every target must be a link, node or passage of it, and every
        source one of its sources.

    Returns
    -------
    tuple of Disruption
        In file order.

    Raises
    ------
    DataError
        Listing every problem found (file, row, column, value).
    """
    base = Path(folder) if folder is not None else default_data_dir()
    key = ("disruptions", str(base.resolve()))
    if net is not None and key in net.cache:  # read and checked once per network
        return cast(tuple[Disruption, ...], net.cache[key])
    problems: list[Problem] = []
    events: list[tuple[Disruption, str, int]] = []
    for path in sorted(base.glob(f"{TABLE}*.csv")):
        if path.stem != TABLE and not path.stem.startswith(TABLE + "_"):
            continue
        with path.open(newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                event = _row(row, path.name, line, problems)
                if event is not None:
                    events.append((event, path.name, line))
    if net is not None:
        _check_against(events, net, problems)
    if problems:
        raise DataError(problems)
    found = tuple(e for e, _, _ in events)
    if net is not None:
        net.cache[key] = found
    return found
