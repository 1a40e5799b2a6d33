"""Datasets made in code: synthetic networks for benchmarks and property tests."""

from corridors.datasets.synthetic import synthetic_network, synthetic_tables, write_synthetic

__all__ = ["synthetic_network", "synthetic_tables", "write_synthetic"]
