"""Resolve place names to node ids: case-insensitive, with aliases and transliterations.

Names are folded before comparison: lower case, diacritics removed (``Małaszewicze`` ->
``malaszewicze``), apostrophes, hyphens, dots and spaces dropped (``Xi'an`` -> ``xian``).
An unknown name raises :class:`~corridors.errors.UnknownPlaceError` with close matches.
"""

from __future__ import annotations

import difflib
import unicodedata

import pandas as pd

from corridors.errors import UnknownPlaceError

__all__ = ["fold_name", "place_index", "resolve_place"]

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
    index = index if index is not None else place_index(nodes)
    key = fold_name(name)
    if key in index:
        return index[key]
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    close = difflib.get_close_matches(key, list(index), n=8, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[index[c]] for c in close))[:5]
    raise UnknownPlaceError(name, suggestions)
