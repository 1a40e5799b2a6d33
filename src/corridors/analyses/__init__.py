"""Analyses: pure functions over a validated network, returning typed results."""
