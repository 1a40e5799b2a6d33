"""N-2 criticality: pairs of candidates removed together, and the candidates file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridors.analyses.criticality import shortest_path_criticality
from corridors.analyses.criticality.pairs import read_candidates
from corridors.errors import CorridorsError
from test_criticality import _line_network


def test_two_parallel_links_each_lose_nothing_but_together_cut_both_pairs() -> None:
    net = _line_network()
    alone = {r.element: r for r in shortest_path_criticality(net, elements="links").rows}
    assert alone["cd1"].lost == 0
    assert alone["cd2"].lost == 0
    both = shortest_path_criticality(net, elements="links", k=2, candidates=["cd1", "cd2", "ab"])
    rows = {r.element: r for r in both.rows}
    assert set(rows) == {"cd1+cd2", "cd1+ab", "cd2+ab"}
    cut = rows["cd1+cd2"]
    assert cut.members == ("cd1", "cd2")
    assert (cut.lost, cut.disconnected_pairs, cut.rank) == (150.0, 2, 1)
    # cd1 with the bridge ab: ab cuts a-d (100); b-d takes the parallel road, 0.2 h slower
    mixed = rows["cd1+ab"]
    assert (mixed.lost, mixed.rerouted) == (100.0, 50.0)
    assert mixed.extra_time_h == pytest.approx(0.2)
    assert rows["cd2+ab"].lost == 100.0
    assert rows["cd2+ab"].rerouted == 0


def test_candidates_file_errors_name_file_row_and_value(tmp_path: Path) -> None:
    net = _line_network()
    good = tmp_path / "ok.csv"
    good.write_text("id,note\ncd1,x\n\n# comment\ncd2,y\ncd1,again\n", encoding="utf-8")
    assert read_candidates(good, net, "links") == ["cd1", "cd2"]
    bad = tmp_path / "bad.txt"
    bad.write_text("cd1\ncd3\n", encoding="utf-8")
    with pytest.raises(CorridorsError, match=r"bad\.txt:2: unknown links id 'cd3'.*cd1"):
        read_candidates(bad, net, "links")
    one = tmp_path / "one.txt"
    one.write_text("cd1\n", encoding="utf-8")
    with pytest.raises(CorridorsError, match="two or more"):
        read_candidates(one, net, "links")


def test_cli_k2_on_the_default_network(tmp_path: Path) -> None:
    from corridors.cli.app import app

    path = tmp_path / "cands.txt"
    path.write_text("mid_ferry_aktau_baku_alat\nnosuchlink\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["criticality", "--k", "2", "--candidates", str(path), "--json"])
    assert isinstance(res.exception, CorridorsError)
    assert "cands.txt:2" in str(res.exception)
    assert "'nosuchlink'" in str(res.exception)
    import corridors as cx

    links = [r.element for r in shortest_path_criticality(cx.load(), elements="links").rows[:3]]
    path.write_text("\n".join(links), encoding="utf-8")
    res = runner.invoke(app, ["criticality", "--k", "2", "--candidates", str(path), "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)["rows"]
    assert len(rows) == 3
    assert all(len(r["members"]) == 2 and "+" in r["element"] for r in rows)
