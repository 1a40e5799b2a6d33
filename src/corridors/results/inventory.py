"""Result of a corridor inventory: a country's border-crossing links by mode, beside published counts.

Examples
--------
>>> link = InventoryLink(link_id="ab", name="A-B rail", mode="rail", from_id="a", to_id="b",
...     from_name="Alpha", to_name="Bravo", countries=("CN", "KZ"), neighbours=("CN",),
...     role="end", capacity=None, capacity_unit="", status="operating")
>>> inv = Inventory(country="KZ", country_name="Kazakhstan", links=(link,), modes=(),
...     published=(), overflight_recorded=False, not_modelled=())
>>> inv.as_dict()["links"][0]["neighbours"]
['CN']
>>> inv.to_frame()[["section", "id", "neighbours"]].values.tolist()
[['link', 'ab', 'CN']]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from corridors.results.base import OptNum, Result

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FRAME_COLUMNS", "Inventory", "InventoryLink", "ModeCount", "PublishedCount"]

#: Columns of :meth:`Inventory.to_frame` (the CSV form), in order.
FRAME_COLUMNS = (
    "section", "country", "mode", "id", "name", "from", "to", "neighbours", "role",
    "capacity", "capacity_unit", "status", "count", "qualifier", "year", "modelled",
    "modelled_operating", "modelled_what", "caveat", "sources", "note",
)  # fmt: skip


class InventoryLink(BaseModel):
    """One link that crosses the country's border (or passes over or through it).

    Attributes
    ----------
    link_id, name, mode
        The link (``links`` table) and its mode.
    from_id, to_id, from_name, to_name
        Its end nodes.
    countries
        Every country it crosses, in order from ``from`` to ``to``.
    neighbours
        The countries next to the inventory's country along the link (where it crosses
        the border), in order.
    role
        ``end``: a node of the link lies in the country (an airport, for air links);
        ``transit``: the link passes through with no node there; ``overflight``: an air
        link whose listed countries include the country but whose airports lie elsewhere.
    capacity, capacity_unit, status, start_year
        As in the ``links`` table (capacity ``None`` when not given).
    commodities, sources
        What the link carries (empty: every commodity of its mode) and its source ids.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    link_id: str
    name: str
    mode: str
    from_id: str
    to_id: str
    from_name: str
    to_name: str
    countries: tuple[str, ...]
    neighbours: tuple[str, ...]
    role: Literal["end", "transit", "overflight"]
    capacity: OptNum
    capacity_unit: str
    status: str
    start_year: int | None = None
    commodities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


class ModeCount(BaseModel):
    """The country's crossing links of one mode, counted.

    Attributes
    ----------
    mode, label
        Mode id and its display name (``gas pipeline``).
    crossings
        Links of the mode that cross the country's border (every status).
    operating
        Of them, those with status ``operating`` (the links a route may use by default).
    by_status
        ``crossings`` by status.
    overflights
        Of them, air links that only pass over the country (0 when the data records none).
    neighbours
        The neighbouring countries those links cross to, sorted.
    domestic
        Links of the mode that lie wholly inside the country (not crossings).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: str
    label: str
    crossings: int
    operating: int
    by_status: dict[str, int]
    overflights: int = 0
    neighbours: tuple[str, ...] = ()
    domestic: int = 0


class PublishedCount(BaseModel):
    """A published count (``published_counts`` table) beside what the network models.

    Attributes
    ----------
    id, item, count, qualifier, year, sources, note
        The row of the table (``qualifier``: ``at_least``, ``more_than``, ``about`` or
        ``""``: the number as stated).
    source_labels
        ``publisher (year)`` of each source, for display.
    modes
        The modes whose crossing links the count is set beside (``rail`` and ``road``
        for ``international_corridors``).
    modelled, modelled_operating
        How many crossing links of those modes the network has, and how many operate.
    modelled_what
        What ``modelled`` counts, in words.
    caveat
        Why the two numbers do not measure the same thing, when they do not.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    item: str
    count: int
    qualifier: str
    year: int
    sources: tuple[str, ...]
    source_labels: tuple[str, ...]
    note: str
    modes: tuple[str, ...]
    modelled: int
    modelled_operating: int
    modelled_what: str
    caveat: str


class Inventory(Result):
    """A country's corridors as the network models them, beside the published counts.

    Attributes
    ----------
    country, country_name
        ISO alpha-2 code and English name.
    links
        Every link crossing the country's border (or passing through or over it), by mode
        in :data:`corridors.analyses.inventory.MODE_ORDER`, then by link id.
    modes
        Counts per mode, for every mode of the network's links (zero where none crosses).
    published
        The published counts of the country, oldest first, each beside the model's.
    overflight_recorded
        Whether any air link of the network lists the countries it overflies (else the air
        links list only the countries of their two airports).
    not_modelled
        What the network does not represent that the published counts include, in words.
    """

    kind: ClassVar[str] = "inventory"

    country: str
    country_name: str
    links: tuple[InventoryLink, ...]
    modes: tuple[ModeCount, ...]
    published: tuple[PublishedCount, ...]
    overflight_recorded: bool
    not_modelled: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The links and the published counts in one long table (the CSV form).

        Columns :data:`FRAME_COLUMNS`: ``section`` is ``link`` (one row per link: mode,
        id, name, ends, neighbours, role, capacity, status, sources) or ``published`` (one
        row per published count: the modes it is set beside, ``id``, ``name`` = the item,
        ``count``, ``qualifier``, ``year``, ``modelled``, ``modelled_operating``,
        ``modelled_what``, ``caveat``, sources and the source's ``note``). Tuples are
        joined with ``;``.
        """
        import pandas as pd

        rows: list[dict[str, object]] = []
        for link in self.links:
            rows.append(
                {
                    "section": "link", "country": self.country, "mode": link.mode,
                    "id": link.link_id, "name": link.name, "from": link.from_id,
                    "to": link.to_id, "neighbours": ";".join(link.neighbours),
                    "role": link.role, "capacity": link.capacity,
                    "capacity_unit": link.capacity_unit, "status": link.status,
                    "sources": ";".join(link.sources),
                }
            )  # fmt: skip
        for p in self.published:
            rows.append(
                {
                    "section": "published", "country": self.country,
                    "mode": ";".join(p.modes), "id": p.id, "name": p.item, "count": p.count,
                    "qualifier": p.qualifier, "year": p.year, "modelled": p.modelled,
                    "modelled_operating": p.modelled_operating,
                    "modelled_what": p.modelled_what, "caveat": p.caveat,
                    "sources": ";".join(p.sources), "note": p.note,
                }
            )  # fmt: skip
        frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
        for col in ("count", "year", "modelled", "modelled_operating"):
            frame[col] = frame[col].astype("Int64")
        return frame
