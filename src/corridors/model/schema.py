"""The schema of the network tables (re-exported from :mod:`corridors.io.schema`).

The schema is data (``data/schema.csv``), read in the io layer so that the table reader
need not import the model; the model layer keeps this name for its own modules.
"""

from __future__ import annotations

from corridors.io.schema import TABLES, ColumnSpec, table_schema

__all__ = ["TABLES", "ColumnSpec", "table_schema"]
