"""Build the sea legs of the corridors dataset (``links_sea.csv``) offline with searoute.

Input
-----
``src/corridors/data/sea_lanes.csv`` lists the port pairs to connect, one lane a row:

* ``id``: link id written to ``links_sea.csv``;
* ``from`` / ``to``: node ids (port coordinates are read from ``nodes*.csv``);
* ``restrictions``: searoute passages to forbid for this variant, ``;``-separated
  (``suez;babalmandab;panama`` gives the Cape of Good Hope variant: searoute
  reroutes via Panama when only Suez is closed, so Panama is forbidden too);
  ``northwest`` (the Northwest Passage) is always forbidden;
* ``name``: display name;
* ``via``: optional; ``kiel`` routes the lane through the Kiel Canal, which the
  searoute network (Eurostat MARNET) does not contain: the leg is computed as
  searoute to one lock + 98 km canal (Wikipedia, source ``sea_wiki_kiel_canal``)
  + searoute from the other lock.

Output
------
``links_sea.csv`` in the ``links`` schema: mode ``sea``, ``countries`` = the
countries of the two end ports (the open sea crosses none), ``passages`` in the
order the route meets them, ``length_km`` rounded to 1 km, status ``operating``,
direction ``both``, and ``time_low_h`` / ``time_high_h`` = length at a
container-ship service speed of 18 kn / 14 kn (slow steaming, source
``sea_wiki_slow_steaming``). Times are pure sailing time: no port calls (the port
nodes carry their own dwell), canal queues or weather.

Passages
--------
searoute's traversed passages are mapped onto the project's passage ids
(``suez``, ``babalmandab``, ``malacca``, ``gibraltar``, ``panama``, ``bosporus``;
searoute's ``south_africa`` becomes ``cape``). The others are detected from the
geometry:

* ``cape``: a route point south of 30 S between 10 E and 35 E;
* ``bosporus``: a route point in the strait, or exactly one end port in the Black Sea;
* ``dardanelles``: a route point in the strait, or whenever ``bosporus`` is used
  (no port of the dataset lies in the Sea of Marmara);
* ``dover``: the route crosses a gate line from Dover to Calais;
* ``kiel``: the lane is built ``via`` the Kiel Canal.

searoute passages without a project id (``sunda``, ``ormuz`` ...) are named in the
link's note only.

Model choice: direct lanes rather than hub-and-spoke
----------------------------------------------------
Both were computed for Shanghai-Rotterdam and checked against the published
figures of Notteboom, Pallis & Rodrigue (source ``sea_pemp_routing_2024``:
10,600 nm via Suez, 13,800 nm via the Cape):

* via Suez, direct 19,492 km (10,525 nm, -0.7 % on the published figure); via
  Singapore 4,009 + 15,497 = 19,506 km. Singapore lies on the direct route, so the
  two agree within 0.1 %;
* via the Cape, direct 25,641 km (13,845 nm, +0.3 %, through the Sunda Strait);
  via Singapore 4,009 + 21,958 = 25,967 km (+1.6 %), because Singapore is off the
  shortest Cape route.

The direct port-to-port lanes match the published liner distances better, so
every Chinese port gets a direct lane to each main European port via Suez and
via the Cape. Singapore spokes (Chinese ports -> Singapore, Singapore -> European
ports via Suez and via the Cape) are kept as well, so that routes can call at the
hub (and pay its dwell) when a scenario asks for it; with no scenario the router
prefers the direct lanes.

Geometry
--------
``sea_lanes.geojson`` (beside ``links_sea.csv``) keeps the searoute line of every sea
link, so that maps and route results draw the real lane (Suez and Cape variants apart)
rather than a straight segment: a FeatureCollection with one LineString feature per link,
``id`` = the link id, drawn from the link's ``from`` port to its ``to`` port. Coordinates
are rounded to :data:`COORD_DIGITS` decimals (about 11 m) and simplified with the
Ramer-Douglas-Peucker algorithm at :data:`SIMPLIFY_DEG` degrees (about 2 km), which keeps
the file small; the lengths in ``links_sea.csv`` come from the full lines. A Kiel Canal
lane jumps straight from lock to lock.

Usage
-----
::

    python scripts/build_sea_legs.py            # (re)write links_sea.csv and sea_lanes.geojson
    python scripts/build_sea_legs.py --check    # exit 1 if either is stale
    python scripts/build_sea_legs.py --geojson /tmp/sea.geojson   # also dump the full routes

The script needs the ``searoute`` package (1.6.0 was used) and no network access.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "corridors" / "data"

KNOT_KMH = 1.852
SPEED_HIGH_KN = 18.0  # gives time_low_h (source sea_wiki_slow_steaming)
SPEED_LOW_KN = 14.0  # gives time_high_h (source sea_wiki_slow_steaming)
SPEED_SOURCE = "sea_wiki_slow_steaming"

KIEL_CANAL_KM = 98.0  # source sea_wiki_kiel_canal
KIEL_SOURCE = "sea_wiki_kiel_canal"
KIEL_BALTIC_LOCK = (10.15, 54.37)  # Kiel-Holtenau (lon, lat)
KIEL_NORTH_SEA_LOCK = (9.14, 53.89)  # Brunsbuettel (lon, lat)

ALWAYS_RESTRICTED = ("northwest",)

#: Decimals kept in the stored lane coordinates (1e-4 degree is about 11 m).
COORD_DIGITS = 4
#: Ramer-Douglas-Peucker tolerance of the stored lanes, in degrees (about 2 km).
SIMPLIFY_DEG = 0.02
GEOMETRY_FILE = "sea_lanes.geojson"

# searoute passage name -> project passage id
SEAROUTE_PASSAGES = {
    "suez": "suez",
    "babalmandab": "babalmandab",
    "malacca": "malacca",
    "gibraltar": "gibraltar",
    "panama": "panama",
    "bosporus": "bosporus",
    "south_africa": "cape",
}

# (lon_min, lon_max, lat_min, lat_max)
Box = tuple[float, float, float, float]
BOSPORUS_BOX: Box = (28.9, 29.25, 40.95, 41.3)
DARDANELLES_BOX: Box = (26.1, 26.75, 39.95, 40.45)
BLACK_SEA_BOX: Box = (27.3, 42.0, 41.2, 47.5)  # includes the Sea of Azov
CAPE_BOX: Box = (10.0, 35.0, -90.0, -30.0)
# a line across the Strait of Dover, English shore to French shore (lon, lat)
DOVER_GATE = ((1.25, 51.25), (1.95, 50.9))

LINK_COLUMNS = [
    "id",
    "name",
    "from",
    "to",
    "mode",
    "gauge_mm",
    "length_km",
    "time_low_h",
    "time_high_h",
    "cost_usd",
    "headway_h",
    "capacity",
    "capacity_unit",
    "countries",
    "passages",
    "status",
    "start_year",
    "direction",
    "commodities",
    "sources",
    "estimate",
    "note",
]

TIME_ESTIMATE = (
    f"time = length / container-ship service speed {SPEED_HIGH_KN:g} kn (low) to "
    f"{SPEED_LOW_KN:g} kn (high); sailing only, no port calls, canal queues or weather"
)

Point = tuple[float, float]  # (lon, lat)


@dataclass(frozen=True)
class Port:
    """A node's position and country."""

    id: str
    country: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Lane:
    """One row of sea_lanes.csv."""

    id: str
    origin: str
    destination: str
    restrictions: tuple[str, ...]
    name: str
    via: str = ""


@dataclass
class Route:
    """A computed sea route."""

    length_km: float
    coords: list[Point]
    searoute_passages: set[str] = field(default_factory=set)
    extra_passages: dict[str, int] = field(default_factory=dict)  # passage -> vertex index


def split_list(value: str | None) -> tuple[str, ...]:
    """Split a ';'-separated cell into its non-empty items."""
    if not value:
        return ()
    return tuple(item.strip() for item in value.split(";") if item.strip())


def read_ports(data_dir: Path) -> dict[str, Port]:
    """Read every node with its coordinates; nodes_sea.csv wins over the other parts.

    Rows of other parts that do not parse are skipped: they are not this script's
    business (``corridors data validate`` reports them).
    """
    ports: dict[str, Port] = {}
    paths = sorted(data_dir.glob("nodes*.csv"), key=lambda p: (p.name != "nodes_sea.csv", p.name))
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                node_id = row.get("id") or ""
                if not node_id or node_id in ports:
                    continue
                try:
                    lon, lat = float(row["lon"]), float(row["lat"])
                except (KeyError, TypeError, ValueError):
                    continue
                ports[node_id] = Port(
                    id=node_id, country=row.get("country") or "", lon=lon, lat=lat
                )
    return ports


def read_lanes(path: Path) -> list[Lane]:
    """Read the lane list."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Lane(
                id=row["id"],
                origin=row["from"],
                destination=row["to"],
                restrictions=split_list(row.get("restrictions")),
                name=row.get("name") or "",
                via=(row.get("via") or "").strip(),
            )
            for row in csv.DictReader(handle)
        ]


def read_passage_points(data_dir: Path) -> dict[str, Point]:
    """Read the reference point of each project passage (passages.csv) to order them."""
    points: dict[str, Point] = {}
    for path in sorted(data_dir.glob("passages*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                points[row["id"]] = (float(row["lon"]), float(row["lat"]))
    return points


def in_box(point: Point, box: Box) -> bool:
    """Whether a (lon, lat) point lies in a box."""
    lon, lat = point
    return box[0] <= lon <= box[1] and box[2] <= lat <= box[3]


def _orientation(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """Whether segment p1-p2 properly crosses segment q1-q2 (planar lon/lat test)."""
    d1 = _orientation(q1, q2, p1)
    d2 = _orientation(q1, q2, p2)
    d3 = _orientation(p1, p2, q1)
    d4 = _orientation(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance in km between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def searoute_leg(origin: Point, destination: Point, restrictions: Sequence[str]) -> Route:
    """One searoute call: port to port, with the lane's restrictions."""
    import searoute  # imported here so that --help works without the package

    forbidden = sorted(set(restrictions) | set(ALWAYS_RESTRICTED))
    feature: Any = searoute.searoute(
        list(origin),
        list(destination),
        units="km",
        restrictions=forbidden,
        append_orig_dest=True,
        return_passages=True,
    )
    length = float(feature["properties"]["length"])
    if not math.isfinite(length) or length <= 0:
        raise RuntimeError(f"no sea route {origin} -> {destination} avoiding {forbidden}")
    coords = [(float(lon), float(lat)) for lon, lat in feature["geometry"]["coordinates"]]
    passages = set(feature["properties"].get("traversed_passages") or [])
    return Route(length_km=length, coords=coords, searoute_passages=passages)


def join_via_kiel(first: Route, second: Route) -> Route:
    """Chain two legs with the Kiel Canal between them."""
    return Route(
        length_km=first.length_km + KIEL_CANAL_KM + second.length_km,
        coords=first.coords + second.coords,
        searoute_passages=first.searoute_passages | second.searoute_passages,
        extra_passages={"kiel": len(first.coords)},
    )


def compute_route(lane: Lane, ports: dict[str, Port]) -> Route:
    """Compute the route of one lane."""
    origin = ports[lane.origin]
    destination = ports[lane.destination]
    a: Point = (origin.lon, origin.lat)
    b: Point = (destination.lon, destination.lat)
    if not lane.via:
        return searoute_leg(a, b, lane.restrictions)
    if lane.via != "kiel":
        raise ValueError(f"{lane.id}: unknown via {lane.via!r} (only 'kiel')")
    # enter at whichever lock gives the shorter total
    options = [
        join_via_kiel(
            searoute_leg(a, KIEL_BALTIC_LOCK, lane.restrictions),
            searoute_leg(KIEL_NORTH_SEA_LOCK, b, lane.restrictions),
        ),
        join_via_kiel(
            searoute_leg(a, KIEL_NORTH_SEA_LOCK, lane.restrictions),
            searoute_leg(KIEL_BALTIC_LOCK, b, lane.restrictions),
        ),
    ]
    return min(options, key=lambda route: route.length_km)


def first_index(coords: Sequence[Point], predicate: Any) -> int | None:
    """Index of the first vertex satisfying predicate, or None."""
    for index, point in enumerate(coords):
        if predicate(point):
            return index
    return None


def nearest_index(coords: Sequence[Point], target: Point) -> int:
    """Index of the route vertex nearest to a point."""
    return min(range(len(coords)), key=lambda i: haversine_km(coords[i], target))


def detect_passages(
    route: Route,
    origin: Port,
    destination: Port,
    passage_points: dict[str, Point],
) -> tuple[list[str], list[str]]:
    """Project passage ids in route order, and searoute passages left unmapped."""
    coords = route.coords
    found: dict[str, int] = dict(route.extra_passages)
    unmapped = sorted(p for p in route.searoute_passages if p not in SEAROUTE_PASSAGES)

    def position(passage: str) -> int:
        if passage in passage_points:
            return nearest_index(coords, passage_points[passage])
        return 0

    for name in route.searoute_passages:
        if name in SEAROUTE_PASSAGES:
            passage = SEAROUTE_PASSAGES[name]
            found.setdefault(passage, position(passage))

    cape = first_index(coords, lambda p: in_box(p, CAPE_BOX))
    if cape is not None:
        found.setdefault("cape", cape)

    ends_in_black_sea = [
        in_box((port.lon, port.lat), BLACK_SEA_BOX) for port in (origin, destination)
    ]
    bosporus = first_index(coords, lambda p: in_box(p, BOSPORUS_BOX))
    if bosporus is not None:
        found.setdefault("bosporus", bosporus)
    elif ends_in_black_sea[0] != ends_in_black_sea[1]:
        found.setdefault("bosporus", position("bosporus"))
    dardanelles = first_index(coords, lambda p: in_box(p, DARDANELLES_BOX))
    if dardanelles is not None:
        found.setdefault("dardanelles", dardanelles)
    elif "bosporus" in found:
        found.setdefault("dardanelles", position("dardanelles"))

    for index in range(len(coords) - 1):
        if segments_cross(coords[index], coords[index + 1], *DOVER_GATE):
            found.setdefault("dover", index)
            break

    ordered = sorted(found, key=lambda passage: (found[passage], passage))
    return ordered, unmapped


def fmt_hours(value: float) -> str:
    """Hours with one decimal."""
    return f"{value:.1f}"


def build_rows(
    lanes: Iterable[Lane],
    ports: dict[str, Port],
    passage_points: dict[str, Point],
    routes_out: dict[str, Route] | None = None,
) -> list[dict[str, str]]:
    """Compute every lane and return the links_sea rows."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for lane in lanes:
        if lane.id in seen:
            raise ValueError(f"duplicate lane id {lane.id}")
        seen.add(lane.id)
        for end in (lane.origin, lane.destination):
            if end not in ports:
                raise KeyError(f"{lane.id}: unknown node {end}")
        origin = ports[lane.origin]
        destination = ports[lane.destination]
        route = compute_route(lane, ports)
        if routes_out is not None:
            routes_out[lane.id] = route
        passages, unmapped = detect_passages(route, origin, destination, passage_points)
        length_km = round(route.length_km)
        countries = [origin.country]
        if destination.country != origin.country:
            countries.append(destination.country)
        sources = ["searoute", SPEED_SOURCE]
        if lane.via == "kiel":
            sources.append(KIEL_SOURCE)
        note = f"{round(route.length_km / KNOT_KMH)} nm port to port (searoute MARNET)"
        if lane.restrictions:
            note += "; avoids " + ", ".join(lane.restrictions)
        if unmapped:
            note += "; also passes " + ", ".join(unmapped) + " (no project passage id)"
        if lane.via == "kiel":
            note += f"; includes the {KIEL_CANAL_KM:g} km Kiel Canal"
        row = dict.fromkeys(LINK_COLUMNS, "")
        row.update(
            {
                "id": lane.id,
                "name": lane.name,
                "from": lane.origin,
                "to": lane.destination,
                "mode": "sea",
                "length_km": str(length_km),
                "time_low_h": fmt_hours(length_km / (SPEED_HIGH_KN * KNOT_KMH)),
                "time_high_h": fmt_hours(length_km / (SPEED_LOW_KN * KNOT_KMH)),
                "countries": ";".join(countries),
                "passages": ";".join(passages),
                "status": "operating",
                "direction": "both",
                "sources": ";".join(sources),
                "estimate": TIME_ESTIMATE,
                "note": note,
            }
        )
        rows.append(row)
    return rows


def render_csv(rows: Sequence[dict[str, str]]) -> str:
    """Render the links_sea.csv text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LINK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _point_segment_distance(p: Point, a: Point, b: Point) -> float:
    """Planar distance (degrees) from p to segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def simplify(coords: Sequence[Point], tolerance: float) -> list[Point]:
    """Ramer-Douglas-Peucker simplification (planar, degrees); keeps both ends.

    Examples
    --------
    >>> simplify([(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (3.0, 1.0)], 0.01)
    [(0.0, 0.0), (2.0, 0.0), (3.0, 1.0)]
    """
    if len(coords) < 3:
        return list(coords)
    keep = [False] * len(coords)
    keep[0] = keep[-1] = True
    stack = [(0, len(coords) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = -1.0, -1
        for i in range(first + 1, last):
            d = _point_segment_distance(coords[i], coords[first], coords[last])
            if d > best:
                best, index = d, i
        if index > 0 and best > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(coords, keep, strict=True) if k]


def stored_line(route: Route, origin: Port, destination: Port) -> list[list[float]]:
    """The line kept in the dataset: port to port, simplified, rounded, no repeated point."""
    ends = [(origin.lon, origin.lat), *route.coords[1:-1], (destination.lon, destination.lat)]
    line: list[list[float]] = []
    for lon, lat in simplify(ends, SIMPLIFY_DEG):
        point = [round(lon, COORD_DIGITS), round(lat, COORD_DIGITS)]
        if not line or line[-1] != point:
            line.append(point)
    if len(line) < 2:
        line.append(list(line[0]))
    return line


def render_geometry(lanes: Sequence[Lane], routes: dict[str, Route], ports: dict[str, Port]) -> str:
    """The text of sea_lanes.geojson: one feature a line, in lane order."""
    features = [
        json.dumps(
            {
                "type": "Feature",
                "id": lane.id,
                "properties": {"id": lane.id, "from": lane.origin, "to": lane.destination},
                "geometry": {
                    "type": "LineString",
                    "coordinates": stored_line(
                        routes[lane.id], ports[lane.origin], ports[lane.destination]
                    ),
                },
            },
            separators=(",", ":"),
        )
        for lane in lanes
    ]
    head = '{"type":"FeatureCollection","name":"sea_lanes","features":[\n'
    return head + ",\n".join(features) + "\n]}\n"


def _check(path: Path, text: str, what: str) -> bool:
    """Whether the stored file equals ``text``; prints the difference if not."""
    stored = path.read_text(encoding="utf-8") if path.exists() else ""
    if stored == text:
        print(f"{path}: up to date ({what})")
        return True
    diff = difflib.unified_diff(
        stored.splitlines(), text.splitlines(), "stored", "recomputed", lineterm="", n=0
    )
    print(f"{path}: differs from the recomputed {what}", file=sys.stderr)
    for line in list(diff)[:40]:
        print(line[:300], file=sys.stderr)
    return False


def write_geojson(path: Path, routes: dict[str, Route]) -> None:
    """Dump the route geometries (for inspection; not part of the dataset)."""
    features = [
        {
            "type": "Feature",
            "properties": {"id": lane_id, "length_km": round(route.length_km)},
            "geometry": {"type": "LineString", "coordinates": [list(p) for p in route.coords]},
        }
        for lane_id, route in routes.items()
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}) + "\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Build links_sea.csv from sea_lanes.csv with searoute (offline)."
    )
    parser.add_argument(
        "--data", type=Path, default=DATA_DIR, help="dataset folder (default: %(default)s)"
    )
    parser.add_argument("--lanes", type=Path, help="lane list (default: DATA/sea_lanes.csv)")
    parser.add_argument("--output", type=Path, help="output (default: DATA/links_sea.csv)")
    parser.add_argument(
        "--geometry", type=Path, help=f"lane geometry (default: DATA/{GEOMETRY_FILE})"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="recompute and exit 1 if the stored output differs (writes nothing)",
    )
    parser.add_argument("--geojson", type=Path, help="also write the route geometries here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    data_dir: Path = args.data
    lanes_path: Path = args.lanes or data_dir / "sea_lanes.csv"
    output: Path = args.output or data_dir / "links_sea.csv"

    geometry: Path = args.geometry or data_dir / GEOMETRY_FILE

    lanes = read_lanes(lanes_path)
    ports = read_ports(data_dir)
    routes: dict[str, Route] = {}
    rows = build_rows(lanes, ports, read_passage_points(data_dir), routes)
    text = render_csv(rows)
    lines = render_geometry(lanes, routes, ports)
    if args.geojson:
        write_geojson(args.geojson, routes)

    if args.check:
        fresh = [
            _check(output, text, f"{len(rows)} sea legs"),
            _check(geometry, lines, f"{len(rows)} sea-lane lines"),
        ]
        return 0 if all(fresh) else 1

    output.write_text(text, encoding="utf-8")
    geometry.write_text(lines, encoding="utf-8")
    print(f"wrote {len(rows)} sea legs to {output} and their lines to {geometry}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
