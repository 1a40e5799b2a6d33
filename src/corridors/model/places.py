"""Resolve place names to node ids: case-insensitive, with aliases and transliterations.

Names are folded before comparison: lower case, diacritics removed (``Małaszewicze`` ->
``malaszewicze``), apostrophes, hyphens, dots and spaces dropped (``Xi'an`` -> ``xian``).
An unknown name raises :class:`~corridors.errors.UnknownPlaceError` with close matches.

:func:`resolve_group` reads the names users type for a set of places: an ISO country code
or English country name (every node in that country) or a region of the ``regions`` table
(EU, Central Asia ...; every node in its member countries), besides a single node.
"""

from __future__ import annotations

import difflib
import unicodedata
import weakref
from dataclasses import dataclass
from typing import cast

import pandas as pd
import pycountry

from corridors.errors import UnknownPlaceError

__all__ = ["PlaceGroup", "fold_name", "place_index", "resolve_group", "resolve_place"]

# Letters that Unicode decomposition does not reduce to ASCII.
_EXTRA = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ə": "a",
        "Ə": "a",
        "ʻ": "",
        "ʼ": "",
        "’": "",
        "‘": "",
        "`": "",
    }
)


def fold_name(name: str) -> str:
    """Fold a place name for matching.

    Examples
    --------
    >>> fold_name("Małaszewicze"), fold_name("Xi'an"), fold_name("Baku (Alat)")
    ('malaszewicze', 'xian', 'bakualat')
    """
    text = unicodedata.normalize("NFKD", name.translate(_EXTRA))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in text.casefold() if ch.isalnum())


#: Indexes built for recent nodes tables, keyed by ``id()`` and checked by a weak reference
#: (tables are not hashable; networks are not mutated in place).
_RECENT: dict[int, tuple[weakref.ref[pd.DataFrame], dict[str, str]]] = {}
_RECENT_MAX = 16


def _index_for(nodes: pd.DataFrame) -> dict[str, str]:
    """The :func:`place_index` of ``nodes``, built once per table (a few recent tables kept)."""
    hit = _RECENT.get(id(nodes))
    if hit is not None and hit[0]() is nodes:
        return hit[1]
    index = place_index(nodes)
    if len(_RECENT) >= _RECENT_MAX:
        _RECENT.pop(next(iter(_RECENT)))
    _RECENT[id(nodes)] = (weakref.ref(nodes), index)
    return index


def place_index(nodes: pd.DataFrame) -> dict[str, str]:
    """Map every folded id, name and alias to its node id (first one wins)."""
    index: dict[str, str] = {}
    for node_id, name, aliases in zip(nodes["id"], nodes["name"], nodes["aliases"], strict=True):
        for label in (node_id, name, *aliases):
            index.setdefault(fold_name(label), node_id)
    return index


def resolve_place(nodes: pd.DataFrame, name: str, index: dict[str, str] | None = None) -> str:
    """The node id a place name refers to.

    Parameters
    ----------
    nodes
        The network's nodes table (``id``, ``name``, ``aliases``).
    name
        A node id, name or alias, in any case, with or without diacritics.
    index
        A prebuilt :func:`place_index` (built from ``nodes`` when omitted).

    Returns
    -------
    str
        The node id.

    Raises
    ------
    UnknownPlaceError
        If nothing matches; it carries up to five close names.

    Examples
    --------
    >>> nodes = pd.DataFrame({"id": ["xian"], "name": ["Xi'an"], "aliases": [("Xian",)]})
    >>> resolve_place(nodes, "XI'AN")
    'xian'
    """
    index = index if index is not None else _index_for(nodes)
    key = fold_name(name)
    if key in index:
        return index[key]
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    close = difflib.get_close_matches(key, list(index), n=8, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[index[c]] for c in close))[:5]
    raise UnknownPlaceError(name, suggestions)


@dataclass(frozen=True)
class PlaceGroup:
    """What a name users type stands for: one node, or every node of a country or region.

    Attributes
    ----------
    name
        The name as given.
    kind
        ``node``, ``country`` or ``region``.
    label
        The node id, the ISO code or the region id.
    countries
        ISO codes the group covers (the node's own country for a node).
    nodes
        Node ids in the group (network order).
    """

    name: str
    kind: str
    label: str
    countries: tuple[str, ...]
    nodes: tuple[str, ...]


def _country_code(name: str) -> str | None:
    """ISO alpha-2 code of a country given by code, English name or common name."""
    text = name.strip()
    if len(text) == 2 and text.isalpha():
        found = pycountry.countries.get(alpha_2=text.upper())
        return None if found is None else str(found.alpha_2)
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        pass
    key = fold_name(text)
    for country in pycountry.countries:
        labels = [getattr(country, a, "") for a in ("name", "common_name", "official_name")]
        if any(fold_name(lab).startswith(key) for lab in labels if lab) and len(key) >= 4:
            return str(country.alpha_2)
    return None


def _region_index(regions: pd.DataFrame) -> dict[str, str]:
    index: dict[str, str] = {}
    if regions.empty:
        return index
    for rid, name, aliases in zip(regions["id"], regions["name"], regions["aliases"], strict=True):
        for label in (rid, name, *aliases):
            index.setdefault(fold_name(str(label)), str(rid))
    return index


def resolve_group(
    nodes: pd.DataFrame, regions: pd.DataFrame, name: str, index: dict[str, str] | None = None
) -> PlaceGroup:
    """The nodes a name stands for: an ISO code, a node, a country name or a region.

    Tried in that order: a two-letter ISO 3166-1 code (``KZ``), a node id, name or alias
    (:func:`resolve_place`), a country's English name (``China``, ``Turkey``, via
    ``pycountry``), then a region of the ``regions`` table (``EU``, ``Central Asia``).

    Raises
    ------
    UnknownPlaceError
        If nothing matches; suggestions come from node, country and region names.

    Examples
    --------
    >>> from corridors.model.network import load
    >>> net = load()
    >>> g = resolve_group(net.nodes, net.regions, "EU")
    >>> g.kind, g.label, "market_eu" in g.nodes
    ('region', 'eu', True)
    >>> resolve_group(net.nodes, net.regions, "China").countries
    ('CN',)
    >>> resolve_group(net.nodes, net.regions, "duisburg").nodes
    ('duisburg',)
    """
    text = name.strip()
    code = _country_code(text) if len(text) == 2 else None
    if code is None:
        try:
            node = resolve_place(nodes, text, index)
        except UnknownPlaceError as exc:
            code = _country_code(text)
            if code is None:
                regions_by = _region_index(regions)
                rid = regions_by.get(fold_name(text))
                if rid is None:
                    close = difflib.get_close_matches(
                        fold_name(text), list(regions_by), n=3, cutoff=0.7
                    )
                    extra = [str(regions.at[regions_by[c], "name"]) for c in close]
                    raise UnknownPlaceError(
                        name, list(dict.fromkeys([*extra, *exc.suggestions]))[:5]
                    ) from None
                listed = cast(tuple[str, ...], regions.at[rid, "countries"])
                members = tuple(str(c) for c in listed)
                ids = tuple(str(n) for n in nodes.index[nodes["country"].isin(members)])
                return PlaceGroup(name, "region", rid, members, ids)
        else:
            country = str(nodes.at[node, "country"])
            return PlaceGroup(name, "node", node, (country,), (node,))
    ids = tuple(str(n) for n in nodes.index[nodes["country"] == code])
    return PlaceGroup(name, "country", code, (code,), ids)
