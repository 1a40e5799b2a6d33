"""``corridors report``: one self-contained HTML page with a map, charts, tables and sources."""

from __future__ import annotations

import base64
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import corridors as cx
from conftest import run_cli
from corridors.errors import CorridorsError
from corridors.report import Report, build_report, write_report
from corridors.report.basemap import country_rings
from corridors.report.content import collect
from corridors.report.page import render_page

SCENARIO = "cpc-suspension-2022"


class Page(HTMLParser):
    """Every tag with its attributes, the text of table cells, by table."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(text: str) -> Page:
    p = Page()
    p.feed(text)
    return p


def outside_refs(page: Page) -> list[str]:
    """src/href/action values that would make a request to another host."""
    out = []
    for _, attrs in page.tags:
        for key in ("src", "href", "action", "srcset", "poster", "data"):
            value = attrs.get(key, "").strip().lower()
            if value and not value.startswith(("data:", "#")):
                out.append(value)
    return out


def png_pixels(data: bytes) -> np.ndarray:
    import matplotlib.image as mpimg

    return np.asarray(mpimg.imread(io.BytesIO(data), format="png"))


@pytest.fixture(scope="module")
def report(default_net: cx.Network) -> Report:
    return build_report(default_net, cx.load_scenario(SCENARIO), draws=2000)


def test_page_is_self_contained(report: Report) -> None:
    page = parse(report.html)
    assert outside_refs(page) == []
    assert not [a for t, a in page.tags if t in ("script", "link", "iframe", "object")]
    assert "@import" not in report.html
    assert "url(" not in report.html


def test_page_has_a_map_three_charts_and_sources(report: Report, default_net: cx.Network) -> None:
    page = parse(report.html)
    images = [a for t, a in page.tags if t == "img"]
    assert all(a["src"].startswith("data:image/png;base64,") for a in images)
    figures = {a.get("id") for t, a in page.tags if t == "figure"}
    assert "chart-map" in figures
    assert len(figures - {"chart-map"}) >= 3
    assert {"chart-time", "chart-flows", "chart-sankey"} <= figures
    sources = page.tables[-1]
    assert sources[0][:4] == ["id", "title", "publisher", "year"]
    listed = {row[0] for row in sources[1:]}
    assert listed <= set(default_net.sources.index)
    # every id named in a sources column of another table is in the sources table
    for table in page.tables[:-1]:
        head = table[0]
        if "sources" in head:
            col = head.index("sources")
            for row in table[1:]:
                named = {s.strip() for s in row[col].split(";") if s.strip()}
                assert named <= listed, named - listed
    # the disruption and capacity-range sources are cited
    assert "dis_turan_kuryk_2024" in listed
    assert "energy_wiki_druzhba" in listed


def test_no_chart_is_blank(report: Report) -> None:
    for chart in report.images:
        px = png_pixels(chart.png)
        assert px.shape[0] > 100
        assert px.shape[1] > 100
        assert float(px[..., :3].std()) > 0.02, chart.name
    b64 = report.html.split('id="chart-map"')[1].split("base64,")[1].split('"')[0]
    assert base64.b64decode(b64) == report.map.png


def test_report_tables_show_the_scenario(report: Report, default_net: cx.Network) -> None:
    data = collect(
        default_net, cx.load_scenario(SCENARIO), pairs=(), draws=200, leverage_ranges=True
    )
    crude = next(f for f in data.flows if f.commodity == "crude")
    assert crude.after.delivered_total < crude.before.delivered_total
    assert f"{crude.after.delivered_total:,.3g}" in report.html
    # the leverage at the low and high capacities, only when asked for
    assert "Leverage at the low and high capacities" not in report.html
    page = render_page(data, report.map, [])
    assert "Leverage at the low and high capacities" in page
    spans = data.leverage_ranges[0]
    assert spans.commodity == "crude"
    assert {r.transit for r in spans.rows} >= {"RU"}
    assert data.results_json()["leverage_ranges"][0]["commodity"] == "crude"


def test_folder_gets_the_page_and_a_png_per_chart(report: Report, tmp_path: Path) -> None:
    written = write_report(report, tmp_path / "out")
    names = sorted(p.name for p in written)
    expected = ["report.html", "results.json", *(f"{c.name}.png" for c in report.images)]
    assert names == sorted(expected)
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["scenario"] == SCENARIO
    assert results["flow_ranges"][0]["commodity"] == "crude"
    assert results["times"][0]["after"]["p50"] > 0
    for c in report.images:
        assert (tmp_path / "out" / f"{c.name}.png").read_bytes() == c.png
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(CorridorsError, match="holds other files"):
        write_report(report, tmp_path / "busy")
    assert (tmp_path / "busy" / "mine.txt").read_text(encoding="utf-8") == "keep"


def test_outlines_come_from_an_installed_file() -> None:
    outlines = country_rings()
    assert len(outlines.rings) > 100, outlines.origin
    both = np.concatenate(outlines.rings)
    assert np.abs(both[:, 1]).max() <= 90.0
    # rings crossing the antimeridian are unwrapped (no jump of half the globe inside one),
    # except round a pole
    for r in outlines.rings:
        assert np.ptp(r[:, 0]) >= 359.0 or np.abs(np.diff(r[:, 0])).max() < 180.0
    assert np.abs(both[:, 0]).max() < 360.0


def test_cli_writes_the_report(tmp_path: Path) -> None:
    done = run_cli("report", "--scenario", SCENARIO, "--out", str(tmp_path / "report.html"))
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert outside_refs(parse(html)) == []
    assert "wrote" in done.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scenario", "no-such-scenario", "--out", "{tmp}/r.html"], "no-such-scenario"),
        (["--out", "/dev/null"], "cannot write /dev/null"),
        (["--out", "{tmp}/file.txt/r.html"], "file.txt"),
        (["--out", "{tmp}/r.html", "--exporter", "ZZ"], "ZZ"),
    ],
)
def test_cli_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    done = run_cli("report", *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "error" in done.stderr
    assert message in done.stderr
    assert not (tmp_path / "r.html").exists()


def test_report_without_routes_or_flows_draws_no_empty_chart(default_net: cx.Network) -> None:
    """RU under russia-closed: no flow can leave, no pair is routed; no blank image."""
    report = build_report(
        default_net, cx.load_scenario("russia-closed"), exporter="RU", pairs=(), draws=200
    )
    names = [c.name for c in report.images]
    assert names[0] == "map"
    assert not {"time", "flows", "sankey"} & set(names)
    assert "no field in RU supplies crude" in report.html
    assert float(png_pixels(report.map.png)[..., :3].std()) > 0.02
