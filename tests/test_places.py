from __future__ import annotations

import pytest

import corridors as cx
from corridors.model.places import fold_name


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("alpha", "a"),
        ("ALFA", "a"),
        ("Al'pha", "a"),
        ("Álfa", "a"),
        ("bravo", "b"),
        ("Bravo-Border", "b"),
        ("q", "q"),
    ],
)
def test_names_aliases_and_transliterations(tiny: cx.Network, name: str, node: str) -> None:
    assert cx.resolve(tiny, name) == node


def test_did_you_mean(tiny: cx.Network) -> None:
    with pytest.raises(cx.UnknownPlaceError) as info:
        cx.resolve(tiny, "Charly")
    assert info.value.suggestions[0] == "Charlie"
    assert "Did you mean: Charlie" in str(info.value)


def test_no_suggestion_for_nonsense(tiny: cx.Network) -> None:
    with pytest.raises(cx.UnknownPlaceError) as info:
        cx.resolve(tiny, "zzzzzzzz")
    assert info.value.suggestions == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Małaszewicze", "Malaszewicze"),
        ("Xi'an", "Xian"),
        ("Łódź", "Lodz"),
        ("Constanța", "Constanta"),
    ],
)
def test_fold(a: str, b: str) -> None:
    assert fold_name(a) == fold_name(b)
