"""One scenario from scenario files and the ``--avoid`` flags, the same for every face.

Every command that takes scenarios (``route``, ``flow``, ``assign``, ``compare``, ``data
export``) builds its scenario here, so that ``compare a.yaml b.yaml --avoid RU`` means
what ``route --scenario a.yaml --scenario b.yaml --avoid RU`` means: the files in the
given order, then the flags, composed by :func:`corridors.model.scenario.compose`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from corridors.model.scenario import Scenario, compose, load_scenario

__all__ = ["BASELINE_NAMES", "build_scenario", "split_list"]

#: Names that stand for "no scenario" where a scenario is asked for (``--against``).
BASELINE_NAMES = frozenset({"", "baseline"})


def split_list(value: str | Iterable[str]) -> list[str]:
    """Items of a comma-separated text (or of several), stripped, empty ones dropped.

    Examples
    --------
    >>> split_list("RU, BY,,")
    ['RU', 'BY']
    >>> split_list(["RU,BY", "KZ"])
    ['RU', 'BY', 'KZ']
    """
    parts = [value] if isinstance(value, str) else list(value)
    return [v.strip() for part in parts for v in part.split(",") if v.strip()]


def build_scenario(
    files: Sequence[str | Path] = (),
    *,
    avoid: Iterable[str] = (),
    avoid_passages: Iterable[str] = (),
    avoid_modes: Iterable[str] = (),
) -> Scenario:
    """The scenario that scenario files and avoid flags describe together.

    Parameters
    ----------
    files
        Scenario YAML files or shipped scenario names, applied in this order; ``baseline``
        (or an empty name) stands for no scenario and is skipped.
    avoid, avoid_passages, avoid_modes
        Countries (ISO alpha-2), sea passages and modes to close (``--avoid``,
        ``--avoid-passage``, ``--avoid-mode``); each item may itself be comma-separated.

    Returns
    -------
    Scenario
        The composition; ``baseline`` (empty) when nothing is given, the scenario itself
        when only one is.

    Raises
    ------
    ScenarioError
        If a file cannot be read or is invalid, or a flag names no country or mode.

    Examples
    --------
    >>> s = build_scenario(["red-sea-closed-2024"], avoid=["RU,BY"])
    >>> s.name
    'red-sea-closed-2024 + avoid RU,BY'
    >>> s.close.countries, "suez" in s.close.passages
    (('RU', 'BY'), True)
    >>> build_scenario().is_empty(), build_scenario(["baseline"]).name
    (True, 'baseline')
    """
    parts = [load_scenario(f) for f in files if str(f).strip().lower() not in BASELINE_NAMES]
    flags = Scenario.from_flags(
        avoid=split_list(avoid),
        avoid_passages=split_list(avoid_passages),
        avoid_modes=split_list(avoid_modes),
    )
    if not flags.is_empty():
        parts.append(flags)
    return compose(parts)
