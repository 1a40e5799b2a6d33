import pandas as pd
import pytest

from corridors.datasets.synthetic import synthetic_network, synthetic_tables, write_synthetic
from corridors.model.graph import compile_graph
from corridors.model.network import load


def test_same_seed_same_tables() -> None:
    a, b = synthetic_tables(150, seed=3), synthetic_tables(150, seed=3)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_validated_and_direct_builds_agree() -> None:
    checked = synthetic_network(300, seed=2, validate=True)
    direct = synthetic_network(300, seed=2)
    for name in ("nodes", "links", "transfers", "demand", "modes", "mode_costs"):
        left = getattr(checked, name).drop(columns=["_file", "_row"])
        pd.testing.assert_frame_equal(left, getattr(direct, name), check_dtype=False)


def test_shape_gauges_and_transfers() -> None:
    net = synthetic_network(1000, seed=0)
    assert len(net.nodes) == 1000
    assert len(net.links) == pytest.approx(2500, rel=0.02)
    assert {"rail_1435", "rail_1520", "road"} <= set(net.links["layer"])
    kinds = set(net.transfers["kind"])
    assert kinds == {"gauge_change", "terminal"}
    assert len(net.countries()) >= 5
    graph = compile_graph(net)
    assert graph.n_vertices > 2000


def test_folder_loads(tmp_path: pytest.TempPathFactory) -> None:
    folder = tmp_path / "syn"  # type: ignore[operator]
    write_synthetic(folder, 120, seed=5)
    net = load(folder)
    assert len(net.nodes) == 120
    assert len(net.demand) == 50
