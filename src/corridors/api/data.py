"""The dataset beside published figures: calibration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from corridors.model.network import Network
    from corridors.results.calibration import Calibration


__all__ = ["calibrate"]


def calibrate(
    net: Network, published: pd.DataFrame | None = None, *, data: str | Path | None = None
) -> Calibration:
    """The model's end-to-end figures beside published ones (km, days, USD).

    Parameters
    ----------
    net
        A network from :func:`load`.
    published
        Rows of a calibration table; ``None``: the ``calibration.csv`` of ``data``.
    data
        Dataset folder to read the calibration table from; ``None``: the folder ``net``
        was loaded from (the embedded dataset for ``load()``).

    Returns
    -------
    Calibration
        One row per published figure: the published range, the model's, the
        difference, the tolerance and the verdict (``frame()`` gives a DataFrame).

    Raises
    ------
    DataError
        If the folder has no calibration table or a row of it is malformed, or if
        ``net`` was not loaded from a folder and neither ``published`` nor ``data``
        is given.

    Examples
    --------
    >>> import corridors as cx
    >>> cal = calibrate(cx.load())
    >>> len(cal.rows) > 10, cal.n_within > len(cal.rows) / 2
    (True, True)
    """
    from corridors.analyses.calibration.checks import calibrate as calibrate_figures

    if published is None:
        from corridors.io.tables import read_calibration

        published = read_calibration(Path(data) if data is not None else _data_folder(net))
    return calibrate_figures(net, published)


def _data_folder(net: Network) -> Path:
    """The folder ``net`` was loaded from, read from its label (``folder + scenario``)."""
    from corridors.errors import DataError, Problem
    from corridors.io.tables import default_data_dir

    origin = net.label.split(" + ")[0]
    if origin == "default":
        return default_data_dir()
    if Path(origin).is_dir():
        return Path(origin)
    raise DataError(
        [Problem(net.label, 0, "", "", "not loaded from a folder: pass published= or data=")]
    )
