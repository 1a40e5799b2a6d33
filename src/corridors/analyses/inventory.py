"""The corridor inventory of a country: the links across its borders by mode, beside published counts.

Sources count a country's corridors ("at least six railways, six roads, and 72 air
corridors" through Kazakhstan, seed article, 2022; "five railways and six highways",
President Tokayev, 2025). This analysis lists what the network models to set beside such
a claim: every link whose ``countries`` include the country and at least one other, that
is every link across its border, by mode (rail, road, oil and gas pipelines, ferry and sea
lines, tankers, air links), with its neighbouring country, capacity and status, counted
per mode; and the country's rows of the ``published_counts`` table, each with the number
of crossing links of the modes it counts.

A link's role is ``end`` when one of its nodes lies in the country (for an air link: one
of its airports), ``transit`` when it passes through without a node there (a pipeline
crossing the country), ``overflight`` for an air link that lists the country among the
countries it crosses but lands elsewhere. The neighbours are the countries next to the
country in the link's ordered ``countries`` list.

The numbers do not measure the same thing, and the result says so: a published corridor
is a named route made of many links that may cross two borders or share a crossing with
another, while the model counts links across the border; an air corridor is an airspace
route across the border, while an air link of the network is an airport pair, which lists
only the countries of its two airports unless the data gives the countries it overflies
(``overflight_recorded``).

Examples
--------
>>> from corridors.model.network import load
>>> inv = inventory(load(), "KZ")
>>> air = next(m for m in inv.modes if m.mode == "air")
>>> air.crossings > 0, air.overflights, inv.overflight_recorded
(True, 0, False)
>>> seed = next(p for p in inv.published if p.id == "kz_seed_2022_air")
>>> seed.count, seed.qualifier, seed.modelled == air.crossings
(72, 'at_least', True)
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

import numpy as np
import pandas as pd
import pycountry

from corridors.errors import CorridorsError
from corridors.model.network import Network
from corridors.model.schema import table_schema
from corridors.model.validate import is_country
from corridors.results.inventory import Inventory, InventoryLink, ModeCount, PublishedCount

__all__ = ["ITEM_MODES", "MODE_LABELS", "MODE_ORDER", "inventory"]

#: Modes in the order the inventory lists them (pipelines after roads, air last).
MODE_ORDER: tuple[str, ...] = (
    "rail", "road", "oil_pipeline", "gas_pipeline", "ferry", "sea", "tanker", "air",
)  # fmt: skip
#: Display name of each mode.
MODE_LABELS: dict[str, str] = {
    "rail": "rail", "road": "road", "oil_pipeline": "oil pipeline",
    "gas_pipeline": "gas pipeline", "ferry": "ferry", "sea": "sea", "tanker": "tanker",
    "air": "air",
}  # fmt: skip
#: The modes whose crossing links each item of ``published_counts`` is set beside.
ITEM_MODES: dict[str, tuple[str, ...]] = {
    "railways": ("rail",),
    "roads": ("road",),
    "international_corridors": ("rail", "road"),
    "air_corridors": ("air",),
    "air_routes": ("air",),
}
_ITEM_ORDER = tuple(ITEM_MODES)

Role = Literal["end", "transit", "overflight"]


def _country(net: Network, country: str) -> tuple[str, str]:
    """The ISO code (upper case) and English name of ``country``, checked against ``net``."""
    code = country.strip().upper()
    if not is_country(code):
        raise CorridorsError(
            f"unknown country {country.strip()!r}: give an ISO 3166-1 alpha-2 code such as KZ"
        )
    found = pycountry.countries.get(alpha_2=code)
    name = str(getattr(found, "common_name", None) or getattr(found, "name", code))
    present = net.countries()
    if code not in present:
        raise CorridorsError(
            f"no node or link of the network lies in {code} ({name}); "
            f"it covers {len(present)} countries"
        )
    return code, name


def _neighbours(countries: tuple[str, ...], code: str) -> tuple[str, ...]:
    """Countries next to ``code`` along ``countries``, in order, each once.

    Examples
    --------
    >>> _neighbours(("RU", "KZ", "RU", "UA"), "KZ"), _neighbours(("TM", "UZ", "KZ"), "KZ")
    (('RU',), ('UZ',))
    """
    out: list[str] = []
    for i, c in enumerate(countries):
        if c != code:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(countries) and countries[j] != code and countries[j] not in out:
                out.append(countries[j])
    return tuple(out)


def _number(value: object) -> float | None:
    number = float(value) if isinstance(value, int | float | np.number) else float("nan")
    return number if np.isfinite(number) else None


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _links(net: Network, code: str) -> list[InventoryLink]:
    links = net.links
    listed = links["countries"]
    crossing = listed.map(lambda cs: code in cs and any(c != code for c in cs))
    names = net.nodes["name"].astype(str)
    node_country = net.nodes["country"].astype(str)
    out: list[InventoryLink] = []
    for rec in links[crossing.to_numpy(dtype=bool)].to_dict("records"):
        countries = tuple(str(c) for c in rec["countries"])
        a, b = str(rec["from"]), str(rec["to"])
        end = code in (node_country.get(a), node_country.get(b))
        mode = str(rec["mode"])
        role: Role = "end" if end else ("overflight" if mode == "air" else "transit")
        start = _number(rec.get("start_year"))
        out.append(
            InventoryLink(
                link_id=str(rec["id"]),
                name=_text(rec["name"]) or str(rec["id"]),
                mode=mode,
                from_id=a,
                to_id=b,
                from_name=str(names.get(a, a)),
                to_name=str(names.get(b, b)),
                countries=countries,
                neighbours=_neighbours(countries, code),
                role=role,
                capacity=_number(rec["capacity"]),
                capacity_unit=_text(rec["capacity_unit"]),
                status=str(rec["status"]),
                start_year=None if start is None else int(start),
                commodities=tuple(str(c) for c in rec["commodities"]),
                sources=tuple(str(s) for s in rec["sources"]),
            )
        )
    order = {m: i for i, m in enumerate(MODE_ORDER)}
    out.sort(key=lambda x: (order.get(x.mode, len(order)), x.mode, x.link_id))
    return out


def _mode_counts(net: Network, code: str, links: list[InventoryLink]) -> list[ModeCount]:
    statuses = next(c.choices for c in table_schema("links") if c.name == "status")
    status_order = {s: i for i, s in enumerate(statuses)}
    modes = [m for m in MODE_ORDER if m in set(net.links["mode"])]
    modes += sorted(set(net.links["mode"].astype(str)) - set(modes))
    domestic = Counter(
        str(m)
        for m, cs in zip(net.links["mode"], net.links["countries"], strict=True)
        if cs and all(c == code for c in cs)
    )
    out: list[ModeCount] = []
    for mode in modes:
        mine = [x for x in links if x.mode == mode]
        by_status = Counter(x.status for x in mine)
        out.append(
            ModeCount(
                mode=mode,
                label=MODE_LABELS.get(mode, mode.replace("_", " ")),
                crossings=len(mine),
                operating=by_status.get("operating", 0),
                by_status=dict(
                    sorted(by_status.items(), key=lambda kv: status_order.get(kv[0], 99))
                ),
                overflights=sum(x.role == "overflight" for x in mine),
                neighbours=tuple(sorted({n for x in mine for n in x.neighbours})),
                domestic=domestic.get(mode, 0),
            )
        )
    return out


def _overflight_recorded(net: Network) -> bool:
    """Whether any air link lists a country between those of its two airports."""
    air = net.links["countries"][net.links["mode"] == "air"]
    return any(len(cs) > 2 for cs in air)


def _modelled_what(item: str, code: str, recorded: bool) -> tuple[str, str]:
    """What the modelled number counts for ``item``, and why it differs from the published one."""
    if item in ("air_corridors", "air_routes"):
        what = (
            f"air links touching {code} airports or overflying {code}"
            if recorded
            else f"air links touching {code} airports (airport pairs)"
        )
        kind = (
            "an air corridor is an airspace route across the border"
            if item == "air_corridors"
            else ("an airline route through the airspace need not land in the country")
        )
        caveat = f"{kind}; the network's air links are airport pairs" + (
            "" if recorded else ", listed only with the countries of their two airports"
        )
        return what, caveat
    modes = " and ".join(MODE_LABELS[m] for m in ITEM_MODES[item])
    return (
        f"{modes} links crossing the {code} border",
        "a published corridor is a named route that may cross two borders or share a "
        "crossing; the model counts links across the border, parallel lines and feeders "
        "each on their own",
    )


def _source_label(sources: pd.DataFrame, sid: str) -> str:
    """``publisher (year)`` of a source id (the id itself when the table lacks it)."""
    if sid not in sources.index:
        return sid
    year = _number(sources.at[sid, "year"])
    publisher = _text(sources.at[sid, "publisher"]) or sid
    return publisher if year is None else f"{publisher} ({int(year)})"


def _published(
    net: Network, code: str, counts: list[ModeCount], recorded: bool
) -> list[PublishedCount]:
    table = net.published_counts
    if table.empty or "country" not in table:
        return []
    by_mode = {m.mode: m for m in counts}
    sources = net.sources
    rows = table[table["country"].astype(str) == code]
    out: list[PublishedCount] = []
    for rec in rows.to_dict("records"):
        item = str(rec["item"])
        modes = ITEM_MODES.get(item, ())
        what, caveat = _modelled_what(item, code, recorded)
        cited = tuple(str(s) for s in rec["sources"])
        labels = tuple(_source_label(sources, s) for s in cited)
        out.append(
            PublishedCount(
                id=str(rec["id"]),
                item=item,
                count=int(rec["count"]),
                qualifier=_text(rec["qualifier"]),
                year=int(rec["year"]),
                sources=cited,
                source_labels=labels,
                note=_text(rec["note"]),
                modes=modes,
                modelled=sum(by_mode[m].crossings for m in modes if m in by_mode),
                modelled_operating=sum(by_mode[m].operating for m in modes if m in by_mode),
                modelled_what=what,
                caveat=caveat,
            )
        )
    order = {item: i for i, item in enumerate(_ITEM_ORDER)}
    out.sort(key=lambda p: (order.get(p.item, len(order)), p.year, p.id))
    return out


def _not_modelled(net: Network, code: str, recorded: bool) -> list[str]:
    out = [
        "named corridors: the network models links between nodes, and a published corridor "
        "is a named route of many links, so the modelled counts are of links across the "
        f"{code} border, not of corridors"
    ]
    if not (net.links["mode"] == "air").any():
        out.append("air: the network has no air links")
    elif not recorded:
        out.append(
            "overflight: the air links list only the countries of their two airports, so "
            f"airspace corridors and flights over {code} that do not land there are not "
            "modelled as links; the published air-corridor counts have no modelled counterpart"
        )
    return out


def inventory(net: Network, country: str = "KZ") -> Inventory:
    """The links across a country's borders by mode, beside its published corridor counts.

    Parameters
    ----------
    net
        A validated network.
    country
        ISO 3166-1 alpha-2 code (any case) of a country that a node or link of ``net``
        lies in.

    Returns
    -------
    Inventory
        The crossing links (with neighbour, capacity and status), counts per mode, the
        country's rows of ``published_counts`` each beside the modelled count of the same
        modes, and what the network does not represent.

    Raises
    ------
    CorridorsError
        For a code that is not an ISO country, or a country the network has nothing in.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> inv = inventory(load(), "kz")
    >>> inv.country, inv.country_name
    ('KZ', 'Kazakhstan')
    >>> rail = next(m for m in inv.modes if m.mode == "rail")
    >>> "CN" in rail.neighbours and "RU" in rail.neighbours
    True
    >>> inventory(load(), "XX")
    Traceback (most recent call last):
    ...
    corridors.errors.CorridorsError: unknown country 'XX': give an ISO 3166-1 alpha-2 code such as KZ
    """
    code, name = _country(net, country)
    links = _links(net, code)
    counts = _mode_counts(net, code, links)
    recorded = _overflight_recorded(net)
    return Inventory(
        country=code,
        country_name=name,
        links=tuple(links),
        modes=tuple(counts),
        published=tuple(_published(net, code, counts, recorded)),
        overflight_recorded=recorded,
        not_modelled=tuple(_not_modelled(net, code, recorded)),
    )
