"""Terminal rendering of a corridor inventory (``corridors data inventory``): tables, no computing."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from corridors.cli.render import titled_table
from corridors.results.inventory import Inventory, InventoryLink, PublishedCount

__all__ = ["inventory_renderables"]

_QUALIFIERS = {"at_least": "at least ", "more_than": "over ", "about": "about "}
_ITEMS = {
    "railways": "railways",
    "roads": "roads",
    "international_corridors": "international corridors",
    "air_corridors": "air corridors",
    "air_routes": "airline routes",
}


def _capacity(link: InventoryLink) -> str:
    if link.capacity is None:
        return "–"
    return f"{link.capacity:,.6g} {link.capacity_unit}".strip()


def _links_table(result: Inventory) -> Table:
    table = titled_table(
        f"Links across the {result.country} border, by mode",
        [("mode", "left"), ("link id", "left"), ("name", "left"), ("neighbour", "left"),
         ("role", "left"), ("capacity", "right"), ("status", "left")],
    )  # fmt: skip
    labels = {m.mode: m.label for m in result.modes}
    previous = ""
    for link in result.links:
        if previous and link.mode != previous:
            table.add_section()
        status = link.status if link.status == "operating" else f"[yellow]{link.status}[/yellow]"
        table.add_row(
            labels.get(link.mode, link.mode) if link.mode != previous else "",
            link.link_id,
            escape(link.name),
            ", ".join(link.neighbours),
            link.role,
            _capacity(link),
            status,
        )
        previous = link.mode
    return table


def _modes_table(result: Inventory) -> Table:
    table = titled_table(
        f"Per mode ({result.country})",
        [("mode", "left"), ("crossing links", "right"), ("operating", "right"),
         ("other status", "left"), ("neighbours", "left"), ("domestic links", "right")],
    )  # fmt: skip
    for m in result.modes:
        other = ", ".join(f"{n} {s}" for s, n in m.by_status.items() if s != "operating")
        table.add_row(
            m.label, str(m.crossings), str(m.operating), other or "–",
            ", ".join(m.neighbours) or "–", str(m.domestic),
        )  # fmt: skip
    return table


def _modelled(p: PublishedCount) -> str:
    operating = "" if p.modelled_operating == p.modelled else f" ({p.modelled_operating} operating)"
    return f"{p.modelled} {p.modelled_what}{operating}"


def _published_table(result: Inventory) -> Table:
    """The published counts, one section per item, the modelled number once per item."""
    table = titled_table(
        f"Published counts for {result.country} beside the model",
        [("item", "left"), ("published", "right"), ("by, year", "left"),
         ("source id", "left"), ("modelled", "left")],
    )  # fmt: skip
    previous = ""
    for p in result.published:
        first = p.item != previous
        if first and previous:
            table.add_section()
        who = ", ".join(lab.rsplit(" (", 1)[0] for lab in p.source_labels)
        table.add_row(
            _ITEMS.get(p.item, p.item) if first else "",
            f"{_QUALIFIERS.get(p.qualifier, '')}{p.count}",
            escape(f"{who}, {p.year}"),
            escape(", ".join(p.sources)),
            escape(_modelled(p)) if first else "",
        )
        previous = p.item
    return table


def _caveats(result: Inventory) -> list[RenderableType]:
    """Each distinct caveat once, after the items it concerns."""
    items: dict[str, list[str]] = {}
    for p in result.published:
        if p.caveat:
            names = items.setdefault(p.caveat, [])
            if (name := _ITEMS.get(p.item, p.item)) not in names:
                names.append(name)
    return [Text(f"{', '.join(names)}: {c}", style="dim") for c, names in items.items()]


def inventory_renderables(result: Inventory) -> list[RenderableType]:
    """What ``corridors data inventory`` prints, in order: the counts, the tables, the notes.

    Examples
    --------
    >>> from corridors.analyses.inventory import inventory
    >>> from corridors.model.network import load
    >>> parts = inventory_renderables(inventory(load(), "KZ"))
    >>> str(parts[0])
    'Kazakhstan (KZ): corridors through its territory as the network models them'
    >>> [p.title for p in parts if isinstance(p, Table)][:2]
    ['Published counts for KZ beside the model', 'Per mode (KZ)']
    """
    out: list[RenderableType] = [
        Text(
            f"{result.country_name} ({result.country}): corridors through its territory "
            "as the network models them",
            style="bold",
        ),
        Text(),
    ]
    if result.published:
        out.extend([_published_table(result), *_caveats(result)])
    else:
        out.append(Text(f"No published counts for {result.country} (published_counts.csv)."))
    out.extend([Text(), _modes_table(result), Text(), _links_table(result), Text()])
    out.append(Text("Not modelled:", style="bold"))
    out.append(Group(*(Text(f"- {n}") for n in result.not_modelled)))
    return out
