"""The report as one self-contained HTML page: inline CSS, images as base64 PNG, no links out.

Every table row names the source ids of its numbers; the sources table at the end gives
each id's title, publisher, year and address (as text, so that opening the page requests
nothing).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import pandas as pd

from corridors.model.network import Network
from corridors.report.content import ReportData, RoutePair
from corridors.results.uncertainty import TimeDistribution

__all__ = ["Chart", "render_page", "source_ids"]

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0;font-size:12px}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
td.s{font-size:10px;color:#555;max-width:36em}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:1em 0}img{max-width:100%;height:auto}figcaption{font-size:12px;color:#555}
.src{font-size:11px;color:#555}code{font-size:11px}
"""


@dataclass(frozen=True)
class Chart:
    """A drawn chart: file name stem, title, caption, PNG bytes."""

    name: str
    title: str
    caption: str
    png: bytes


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float | None, digits: int = 3) -> str:
    if value is None or value != value:
        return "–"
    return f"{value:,.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], numeric: set[int]) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    small = {i for i, h in enumerate(head) if h in ("sources", "address (not linked)")}

    def cell(i: int, c: object) -> str:
        cls = ' class="n"' if i in numeric else ' class="s"' if i in small else ""
        return f"<td{cls}>{_e(c)}</td>"

    body = "".join(
        "<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _ids(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(values))


def _route_sources(p: RoutePair) -> list[str]:
    out: list[str] = []
    for r in (p.before, p.after):
        if r is not None:
            out += [s for leg in r.legs for s in leg.sources]
            out += [s for st in r.stops for s in st.sources]
    return out


def _row_sources(frame: pd.DataFrame, ids: Iterable[str]) -> list[str]:
    out: list[str] = []
    for i in ids:
        if i in frame.index:
            out.extend(cast(tuple[str, ...], frame.at[i, "sources"]) or ())
    return out


def source_ids(data: ReportData) -> list[str]:
    """Every source id behind a number of the report, in order of first use."""
    net = data.net
    out: list[str] = []
    for p in data.routes:
        out += _route_sources(p)
    out += data.disruption_sources
    for fp in data.flows:
        for r in (fp.before, fp.after):
            out += _row_sources(net.links, (lf.id for lf in r.links))
            out += _row_sources(net.nodes, [s.id for s in r.sources] + [s.id for s in r.sinks])
        if fp.capacity is not None:
            out += [s for b in fp.capacity.ranges for s in b.sources]
    out += _demand_sources(net, data.exporter)
    for lev in data.leverage:
        out += [s for t in lev.partners for s in t.sources]
    return list(dict.fromkeys(s for s in out if s))


def _demand_sources(net: Network, exporter: str) -> list[str]:
    d = net.demand
    if d.empty:
        return []
    rows = d[d["origin"].map(net.nodes["country"]) == exporter]
    return [s for v in rows["sources"] for s in (v or ())]


def _days(d: TimeDistribution | None) -> tuple[str, str]:
    if d is None:
        return "no route", "–"
    return f"{d.low:.1f}–{d.high:.1f}", f"{d.p10:.1f} / {d.p50:.1f} / {d.p90:.1f}"


def _routes_section(data: ReportData) -> str:
    rows = []
    for p in data.routes:
        rng_b, pct_b = _days(p.time_before)
        rng_a, pct_a = _days(p.time_after)
        r = p.after or p.before
        km = _num(r.length_km, 4) if r is not None else "–"
        countries = " → ".join(r.countries) if r is not None else p.why_none
        rows.append(
            (_pair_name(p), rng_b, pct_b, rng_a, pct_a, km, countries, _ids(_route_sources(p)))
        )
    head = (
        "pair", "days before (low–high)", "P10/P50/P90 before", "days under scenario",
        "P10/P50/P90 under scenario", "km", "countries", "sources",
    )  # fmt: skip
    return _table(head, rows, {1, 2, 3, 4, 5})


def _pair_name(p: RoutePair) -> str:
    r = p.after or p.before
    return f"{r.origin_name} – {r.destination_name}" if r else f"{p.origin} – {p.destination}"


def _flows_section(data: ReportData) -> str:
    net = data.net
    parts = []
    for fp in data.flows:
        b, a = fp.before, fp.after
        routes = {x.id: x for x in (b.exports.routes if b.exports else [])}
        after = {x.id: x for x in (a.exports.routes if a.exports else [])}
        rows = [
            (
                (routes.get(i) or after[i]).name,
                _num(routes[i].flow) if i in routes else "0",
                _num(after[i].flow) if i in after else "0",
                _num((routes.get(i) or after[i]).capacity),
                _ids(_row_sources(net.links, [i])),
            )
            for i in dict.fromkeys([*routes, *after])
        ]
        head = ("export route", f"before ({a.unit})", f"under scenario ({a.unit})", "capacity",
                "sources")  # fmt: skip
        parts.append(f"<h3>{_e(fp.commodity)}</h3>" + _table(head, rows, {1, 2, 3}))
        summary = [
            ("delivered", _num(b.delivered_total), _num(a.delivered_total)),
            (
                "shortfall against actual exports",
                _num(b.exports.shortfall if b.exports else None),
                _num(a.exports.shortfall if a.exports else None),
            ),
        ]
        parts.append(_table(("", "before", "under scenario"), summary, {1, 2}))
        if a.exports is not None and a.exports.reference_note:
            parts.append(f'<p class="src">{_e(a.exports.reference_note)}</p>')
    return "".join(parts)


def _capacity_section(data: ReportData) -> str:
    rows = []
    ranges: dict[str, tuple[str, str, str, str]] = {}
    for fp in data.flows:
        c = fp.capacity
        if c is None:
            continue
        rows.append(
            (
                fp.commodity,
                c.unit,
                _num(c.delivered_low),
                _num(c.delivered),
                _num(c.delivered_high),
                f"{_num(c.shortfall_high_caps)} – {_num(c.shortfall_low_caps)}",
                ", ".join(c.binding_point_only) or "–",
            )
        )
        for b in c.ranges:
            ranges[b.id] = (f"{_num(b.low)}–{_num(b.high)} {b.unit}", b.note, _ids(b.sources), "")
    head = ("commodity", "unit", "delivered, low capacities", "point", "high capacities",
            "shortfall range", "binding capacities held only as a point")  # fmt: skip
    table = _table(head, rows, {2, 3, 4})
    rng = _table(
        ("element", "range", "how", "sources"),
        [(k, v[0], v[1], v[2]) for k, v in ranges.items()],
        set(),
    )
    spans = [
        (
            lr.commodity,
            f"{row.exporter} via {row.transit}",
            row.unit,
            _num(row.lost_low_caps),
            _num(row.lost),
            _num(row.lost_high_caps),
        )
        for lr in data.leverage_ranges
        for row in lr.rows
        if max(row.lost, row.lost_low_caps, row.lost_high_caps) > 1e-6
    ]
    lev = (
        "<h3>Leverage at the low and high capacities</h3>"
        + _table(
            ("commodity", "closed", "unit", "lost, low capacities", "point", "high capacities"),
            spans,
            {3, 4, 5},
        )
        if data.leverage_ranges
        else ""
    )
    return (
        "<p>Capacities are points in the data except where a source gives a range "
        "(<code>capacity_ranges.csv</code>); the flows are solved with every ranged capacity "
        "at its low and at its high end. Where the binding capacities are points the range "
        "is narrow because the data is, not because the answer is certain.</p>" + table + rng + lev
    )


def _sources_section(net: Network, ids: Sequence[str]) -> str:
    src = net.sources
    rows: list[tuple[object, ...]] = []
    for i in ids:
        if i in src.index:
            raw = float(cast(float, src.at[i, "year"]))
            year = "" if raw != raw else str(int(raw))
            rows.append((i, src.at[i, "title"], src.at[i, "publisher"], year, src.at[i, "url"]))
        else:
            rows.append((i, "(not in the sources tables)", "", "", ""))
    return _table(("id", "title", "publisher", "year", "address (not linked)"), rows, {3})


def _figure(c: Chart) -> str:
    b64 = base64.b64encode(c.png).decode("ascii")
    return (
        f'<figure id="chart-{_e(c.name)}" class="chart"><img alt="{_e(c.title)}" '
        f'src="data:image/png;base64,{b64}"><figcaption><b>{_e(c.title)}.</b> '
        f"{_e(c.caption)}</figcaption></figure>"
    )


def render_page(data: ReportData, map_chart: Chart, charts: Sequence[Chart]) -> str:
    """The whole page (see the module docstring)."""
    s = data.scenario
    title = (s.title or s.name) if s is not None else "Network as it is"
    head = f"<h1>Corridors report: {_e(title)}</h1>"
    if s is not None:
        head += f"<p>{_e(s.description)}</p>" if s.description else ""
        head += f"<p class='src'>Scenario <code>{_e(s.name)}</code>"
        head += f", dated {_e(s.date)}" if s.date else ""
        head += (". Sources: " + _e("; ".join(s.sources))) if s.sources else ""
        head += "</p>"
    head += (
        f"<p class='src'>Exporter {_e(data.exporter)}; network {_e(data.net.label)}; times: "
        f"{data.draws:,} Monte Carlo draws, seed {data.seed} (docs/uncertainty.md).</p>"
    )
    by_name = {c.name: c for c in charts}
    body = [head, "<h2>Map</h2>", _figure(map_chart), "<h2>Routes</h2>", _routes_section(data)]
    if "time" in by_name:
        body.append(_figure(by_name["time"]))
    body += ["<h2>Export flows</h2>", _flows_section(data)]
    body += [_figure(by_name[k]) for k in ("flows", "sankey") if k in by_name]
    body += ["<h2>Uncertain capacities</h2>", _capacity_section(data)]
    if "leverage" in by_name:
        body += ["<h2>Leverage</h2>", _figure(by_name["leverage"])]
    if data.notes:
        body.append("<ul>" + "".join(f"<li>{_e(n)}</li>" for n in data.notes) + "</ul>")
    body += ['<h2 id="sources">Sources</h2>', _sources_section(data.net, source_ids(data))]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
