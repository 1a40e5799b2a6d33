"""The calibration result: the model's end-to-end figures beside published ones."""

from __future__ import annotations

from typing import ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from corridors.results.base import Num, OptNum, Result

__all__ = ["Calibration", "CalibrationRow", "Verdict"]

#: ``within``: the model meets the figure within its tolerance; ``off``: it does not;
#: ``error``: the pair could not be routed under its option (see ``error``).
Verdict = Literal["within", "off", "error"]


class CalibrationRow(BaseModel):
    """One published figure beside the model's (lengths in km, times in days, USD)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Id of the figure (calibration.csv).")
    origin: str = Field(description="Origin node id.")
    destination: str = Field(description="Destination node id.")
    option: str = Field(description="Corridor option the pair is routed under.")
    metric: str = Field(description="length_km, time_days or cost_usd.")
    unit: str = Field(description="Unit of the figures (km, days, USD/TEU).")
    published_low: Num = Field(description="Published figure, low end.")
    published_high: Num = Field(description="Published figure, high end.")
    model_low: OptNum = Field(description="The model's figure, low end (null: no route).")
    model_high: OptNum = Field(description="The model's figure, high end.")
    diff: OptNum = Field(description="Model midpoint minus published midpoint.")
    diff_pct: OptNum = Field(description="diff as a percentage of the published midpoint.")
    tolerance: str = Field(description="The rule the verdict applies.")
    verdict: Verdict
    source: str = Field(description="Source id of the published figure.")
    countries: tuple[str, ...] = Field(description="Countries of the modelled route.")
    error: str = Field(default="", description="Why there is no model figure.")
    note: str = Field(default="", description="What the source says.")
    explanation: str = Field(default="", description="Why the model is off, when it is.")

    @property
    def within(self) -> bool:
        """Whether the verdict is ``within``."""
        return self.verdict == "within"


class Calibration(Result):
    """Every published figure beside the model's, with differences and verdicts."""

    kind: ClassVar[str] = "calibration"

    rows: tuple[CalibrationRow, ...]
    km_tolerance: Num = Field(description="Lengths match within this fraction.")
    cost_tolerance: Num = Field(description="Costs match within this fraction of the range.")

    @property
    def n_within(self) -> int:
        """How many figures the model meets."""
        return sum(r.within for r in self.rows)

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (one row per figure, a ``within`` column added)."""
        return pd.DataFrame(
            [r.model_dump() | {"within": r.within} for r in self.rows],
            columns=[*CalibrationRow.model_fields, "within"],
        )
