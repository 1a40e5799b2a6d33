"""``corridors criticality`` and ``corridors leverage``: who can choke whom, and by how much.

Registered in :mod:`corridors.cli.app` (``app.command("criticality")(criticality_cmd)``).
The analyses are imported inside the commands so that ``corridors --help`` stays fast.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from corridors.cli.params import DataOpt, ScenarioOpt, YearOpt, dated_network
from corridors.cli.render import console as render_console
from corridors.cli.render import print_json, titled_table
from corridors.model.network import load
from corridors.model.scenario import Scenario, compose, load_scenario

__all__ = ["criticality_cmd", "leverage_cmd"]

out = render_console()
err = render_console(stderr=True)


class Engine(StrEnum):
    """Which criticality engine runs."""

    shortest_path = "shortest-path"
    capacitated = "capacitated"


class Kind(StrEnum):
    """Elements a sweep removes."""

    links = "links"
    nodes = "nodes"
    transfers = "transfers"
    passages = "passages"
    countries = "countries"


def _scenario(files: list[str] | None) -> Scenario | None:
    return compose([load_scenario(f) for f in files]) if files else None


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    flat = [
        {k: (";".join(v) if isinstance(v, list | tuple) else v) for k, v in r.items()} for r in rows
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(flat[0]) if flat else ["element"])
        writer.writeheader()
        writer.writerows(flat)


def _bn(v: float) -> str:
    return f"{v / 1e9:,.2f}"


def _num(v: float | None, digits: int = 0) -> str:
    return "–" if v is None else f"{v:,.{digits}f}"


def criticality_cmd(
    commodity: Annotated[str, typer.Option(help="container, crude, gas or uranium.")] = "container",
    elements: Annotated[Kind, typer.Option(help="What to remove, one at a time.")] = Kind.links,
    engine: Annotated[
        Engine, typer.Option(help="shortest-path or capacitated (flow LP).")
    ] = Engine.shortest_path,
    scenario: ScenarioOpt = None,
    top: Annotated[int, typer.Option(help="Rows to show (0: all).", min=0)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Write the rows as CSV.")] = None,
    geojson: Annotated[
        Path | None, typer.Option("--geojson", help="Write a GeoJSON layer coloured by impact.")
    ] = None,
    k: Annotated[
        int, typer.Option("--k", help="1: one element at a time; 2: pairs of --candidates.")
    ] = 1,
    candidates: Annotated[
        Path | None,
        typer.Option(help="For --k 2: a text or CSV file of element ids (first column)."),
    ] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes for the searches.", min=1)] = 1,
    dask: Annotated[
        str | None,
        typer.Option("--dask", help="Dask scheduler address, or 'local' for a local cluster."),
    ] = None,
    year: YearOpt = None,
    data: DataOpt = None,
) -> None:
    """Rank links, nodes, transfers, passages or countries by the demand their loss cuts or reroutes."""
    from corridors.analyses.criticality.pairs import read_candidates
    from corridors.errors import CorridorsError
    from corridors.results.base import feature_collection

    scen = _scenario(scenario)
    net = dated_network(load(data), year, scen.year if scen else None, data)
    if k not in (1, 2):
        raise CorridorsError(f"--k is 1 or 2, not {k}")
    if k == 2 and candidates is None:
        raise CorridorsError("--k 2 removes pairs of candidates: give --candidates FILE")
    if k == 2 and engine is Engine.capacitated:
        raise CorridorsError("--k 2 runs on the shortest-path engine only")
    ids = read_candidates(candidates, net, elements.value) if k == 2 and candidates else None
    if engine is Engine.capacitated:
        from corridors.analyses.criticality.capacitated import capacitated_criticality

        result = capacitated_criticality(net, commodity, elements=elements.value, scenario=scen)
    else:
        from corridors.analyses.criticality import shortest_path_criticality

        client, cluster = _client(dask)
        try:
            with Progress(
                console=err, transient=True, disable=as_json or not sys.stderr.isatty()
            ) as bar:
                task = bar.add_task(f"removing {elements.value}", total=None)
                result = shortest_path_criticality(
                    net,
                    commodity,
                    elements=elements.value,
                    scenario=scen,
                    jobs=jobs,
                    client=client,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                    geometry=geojson is not None,
                    k=k,
                    candidates=ids,
                )
        finally:
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()
    if geojson is not None:
        geojson.write_text(json.dumps(feature_collection(result)), encoding="utf-8")
        err.print(f"wrote {geojson}")
    shown = result.top(top or None)
    if csv_path is not None:
        _write_csv(csv_path, [r.model_dump(mode="json") for r in result.rows])
        err.print(f"wrote {csv_path}")
    if as_json:
        print_json(out, shown.as_dict())
        return
    table = titled_table(
        f"{result.commodity} criticality ({result.engine}, {result.elements}) on {result.scenario}: "
        f"demand {result.demand_total:,.0f} {result.unit} in {result.pairs} pairs",
        [("#", "right"), ("element", "left"), ("name", "left"), ("lost", "right"), ("share", "right"),
         ("rerouted", "right"), ("+h/unit", "right"), ("+USD/unit", "right"), ("cut pairs", "right")],
    )  # fmt: skip
    for r in shown.rows:
        table.add_row(
            str(r.rank), r.element, r.name, _num(r.lost), f"{r.lost_share:.1%}", _num(r.rerouted),
            _num(r.extra_time_h, 1), _num(r.extra_cost_usd, 1), str(r.disconnected_pairs),
        )  # fmt: skip
    out.print(table)


def _client(address: str | None) -> tuple[Any, Any]:
    if address is None:
        return None, None
    from dask.distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True)  # type: ignore[no-untyped-call]
        return Client(cluster), cluster  # type: ignore[no-untyped-call]
    return Client(address), None  # type: ignore[no-untyped-call]


def leverage_cmd(
    commodity: Annotated[str, typer.Option(help="crude, gas, uranium or container.")] = "crude",
    exporter: Annotated[
        str | None, typer.Option(help="Exporter ISO code (default: every exporter).")
    ] = None,
    scenario: ScenarioOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Write the rows as CSV.")] = None,
    png: Annotated[
        Path | None, typer.Option("--png", help="Draw the exporter x transit heat map.")
    ] = None,
    year: YearOpt = None,
    data: DataOpt = None,
) -> None:
    """Each transit country's hold on each exporter: crossing share, lost share, value at risk."""
    from corridors.analyses.leverage import leverage
    from corridors.model.prices import load_export_partners, load_prices

    scen = _scenario(scenario)
    net = dated_network(load(data), year, scen.year if scen else None, data)
    result = leverage(
        net,
        commodity,
        exporters=[exporter.upper()] if exporter else None,
        scenario=scen,
        prices=load_prices(data, sources=net.sources),
        partners=load_export_partners(data, sources=net.sources),
    )
    if png is not None:
        _heat_map(result, png)
        err.print(f"wrote {png}")
    if csv_path is not None:
        _write_csv(csv_path, [_flat(r.model_dump(mode="json")) for r in result.rows])
        err.print(f"wrote {csv_path}")
    if as_json:
        print_json(out, result.as_dict())
        return
    cols = [("exporter", "left"), ("transit", "left"), ("exports", "right"), ("crossing", "right"),
            ("lost share", "right"), ("lost", "right"), ("rerouted", "right"),
            ("+USD/unit", "right"), ("+km/unit", "right"),
            ("value at risk bn USD/yr", "right")]  # fmt: skip
    if scen is not None:
        cols += [
            ("after: lost share", "right"),
            ("after: value at risk", "right"),
            ("change USD/yr", "right"),
        ]
    unit = result.rows[0].unit if result.rows else ""
    title = f"Leverage over {commodity} exports ({unit})" + (f", after {scen.name}" if scen else "")
    table = titled_table(title, cols)
    for r in result.rows:
        cells = [r.exporter, r.transit, _num(r.exports, 2), f"{r.crossing_share:.1%}", f"{r.lost_share:.1%}",
                 _num(r.lost, 2), _num(r.rerouted, 2), _num(r.extra_cost_per_unit, 2),
                 _num(r.extra_km_per_unit, 0), _bn(r.value_at_risk_usd)]  # fmt: skip
        if r.after is not None:
            cells += [f"{r.after.lost_share:.1%}", _bn(r.after.value_at_risk_usd),
                      _bn(r.after.value_at_risk_usd - r.value_at_risk_usd)]  # fmt: skip
        table.add_row(*cells)
    out.print(table)
    if any(r.extra_cost_per_unit is None and r.extra_km_per_unit is not None for r in result.rows):
        out.print(
            "[dim]+USD/unit, +km/unit: per rerouted unit; '–' USD beside a km figure: a link"
            f" whose flow changes has no USD rate for {commodity} (mode_costs).[/dim]"
        )
    if result.partners:
        shares = ", ".join(f"{p.partner} {p.share:.0%}" for p in result.partners)
        out.print(
            f"[dim]Exports by partner ({result.partners[0].basis}, seed article): {shares}[/dim]"
        )


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    after = row.pop("after", None) or {}
    row.update({f"after_{k}": v for k, v in after.items()})
    return row


def _heat_map(result: Any, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    exporters = sorted({r.exporter for r in result.rows})
    transits = sorted({r.transit for r in result.rows})
    grid = np.zeros((len(exporters), len(transits)))
    for r in result.rows:
        grid[exporters.index(r.exporter), transits.index(r.transit)] = r.lost_share
    fig, ax = plt.subplots(figsize=(max(4, len(transits) * 0.6), max(2, len(exporters) * 0.5)))
    image = ax.imshow(grid, cmap="Reds", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(transits)), transits)
    ax.set_yticks(range(len(exporters)), exporters)
    ax.set_xlabel("transit country closed")
    ax.set_ylabel("exporter")
    ax.set_title(f"{result.commodity}: share of exports lost")
    fig.colorbar(image, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
