"""The model beside published end-to-end figures."""

from corridors.analyses.calibration.checks import calibrate

__all__ = ["calibrate"]
