"""The calibration result: the model's end-to-end figures beside published ones."""

from __future__ import annotations

from typing import ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, computed_field

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
    range_ok: bool | None = Field(
        default=None,
        description="Times: whether the published range lies inside the model's range "
        "(the lenient check, shown beside the strict one; null for other metrics).",
    )
    midpoint_ok: bool | None = Field(
        default=None,
        description="Times: whether the model's midpoint is within the time tolerance of "
        "the published midpoint (the strict check the verdict applies).",
    )
    fitted: bool = Field(
        default=False,
        description="The figure was used to derive a model number (a rate, a service time): "
        "shown, but not counted as a check.",
    )

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
    time_tolerance: Num = Field(
        default=0.2, description="Times match when the model midpoint is within this fraction."
    )

    @property
    def n_within(self) -> int:
        """How many figures the model meets."""
        return sum(r.within for r in self.rows)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def n_checked(self) -> int:
        """Figures counted as checks (every row not marked fitted)."""
        return sum(not r.fitted for r in self.rows)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def n_checked_within(self) -> int:
        """Checks the model meets under the strict rules."""
        return sum(r.within for r in self.rows if not r.fitted)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share_within(self) -> float:
        """Share of the checks (non-fitted rows) within tolerance, 0..1."""
        return self.n_checked_within / self.n_checked if self.n_checked else 0.0

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (one row per figure, a ``within`` column added)."""
        return pd.DataFrame(
            [r.model_dump() | {"within": r.within} for r in self.rows],
            columns=[*CalibrationRow.model_fields, "within"],
        )
