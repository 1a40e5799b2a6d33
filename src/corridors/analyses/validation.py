"""Check a folder of tables and say what was found, as a :class:`ValidationReport`.

The one function behind ``corridors data validate`` and a web or Python caller alike.
"""

from __future__ import annotations

from pathlib import Path

from corridors.io.tables import default_data_dir, read_table_files
from corridors.model.coverage import estimated_length_share
from corridors.model.validate import validate_tables
from corridors.results.validation import LengthShare, ValidationReport

__all__ = ["validate_folder"]


def validate_folder(folder: str | Path | None = None) -> ValidationReport:
    """Read and check every table of ``folder`` (default: the embedded dataset).

    Returns
    -------
    ValidationReport
        Every problem (file, row, column, value, message); when there is none, the rows per
        table and the share of land links whose length is an estimate.

    Examples
    --------
    >>> r = validate_folder()
    >>> r.valid, r.counts["nodes"] > 100, 0 < r.lengths.share < 1
    (True, True, True)
    """
    path = Path(folder) if folder is not None else default_data_dir()
    raw, problems = read_table_files(path)
    tables, problems = validate_tables(raw, problems)
    if problems:
        return ValidationReport.of(str(path), {}, problems)
    cov = estimated_length_share(tables["links"])
    lengths = LengthShare(
        estimated=cov.estimated,
        land=cov.land,
        share=cov.share,
        estimated_rail_road=cov.estimated_rail_road,
        rail_road=cov.rail_road,
        rail_road_share=cov.rail_road_share,
        connectors=cov.connectors,
    )
    return ValidationReport.of(str(path), {n: len(df) for n, df in tables.items()}, [], lengths)
