"""The map page in a real browser: Debian's Chromium driven by Playwright, headless.

The app is served by uvicorn on 127.0.0.1 in a thread. Every test checks that each request
the page made went to the app's own address, and screenshots go to out/screenshots/.
Without Chromium these tests fail (``make test`` installs it); they never skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from chromium import SHOTS, launch
from corridors.web.app import create_app, vendor_missing
from corridors.web.serve import background

pytestmark = pytest.mark.browser

# Route colours of the page (static/js/map.js): the best route, and the flow's min cut.
BEST_ROUTE = (0xD8, 0x1B, 0x60)
CUT = (0xC6, 0x28, 0x28)
RAIL = (0x6A, 0x1B, 0x9A)

COUNT_PIXELS = """([selector, rgb, tol]) => {
  const canvas = document.querySelector(selector);
  if (!canvas) return -1;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 128) continue;
    if (!rgb) { n++; continue; }
    if (Math.abs(data[i] - rgb[0]) <= tol && Math.abs(data[i + 1] - rgb[1]) <= tol
        && Math.abs(data[i + 2] - rgb[2]) <= tol) n++;
  }
  return n;
}"""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    assert not vendor_missing(), f"page assets missing (run make web): {vendor_missing()}"
    with background(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture
def page(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page at 1280x800; afterwards every request it made must be to the app."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    seen: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: seen.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(base_url + "/")
    pg.wait_for_selector("body[data-ready=network]", timeout=60_000)
    yield pg
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{request.node.name}.png"))
    context.close()
    own = urlsplit(base_url).netloc
    outside = [u for u in seen if urlsplit(u).scheme != "data" and urlsplit(u).netloc != own]
    assert not outside, f"the page reached outside the app: {outside}"
    assert not errors, f"script errors on the page: {errors}"


def pixels(pg: Any, pane: str, rgb: tuple[int, int, int] | None = None, tol: int = 40) -> int:
    """Opaque pixels (of colour ``rgb``, if given) on the canvas of a Leaflet pane."""
    count: int = pg.evaluate(COUNT_PIXELS, [f".leaflet-{pane}-pane canvas", rgb, tol])
    return count


def route(pg: Any, origin: str, destination: str) -> None:
    pg.fill("#origin", origin[:4])
    pg.wait_for_selector("#origin-suggest li")
    pg.click(f"#origin-suggest li:has-text('{origin}')")
    pg.fill("#destination", destination)
    pg.click("#route-go")
    pg.wait_for_selector("#route-results[data-state=done]", timeout=60_000)


def caspian_ferry(page: Any) -> str:
    """Select the route crossing the Caspian (Kazakhstan to Azerbaijan); its ferry link id."""
    page.locator(".route-card", has_text="KZ–AZ").first.click()
    ferry: str = page.get_attribute(
        "#legs tr[data-mode=ferry][data-countries='KZ,AZ']", "data-link"
    )
    return ferry


def selected_colour(page: Any) -> tuple[int, int, int]:
    """The colour the selected route is drawn in (its card's ``--c``)."""
    hexa = page.eval_on_selector(
        ".route-card[aria-pressed=true]", "c => getComputedStyle(c).getPropertyValue('--c')"
    ).strip()
    return (int(hexa[1:3], 16), int(hexa[3:5], 16), int(hexa[5:7], 16))


def test_map_draws_the_network(page: Any) -> None:
    assert pixels(page, "overlay") > 50_000, "the map canvas is blank"
    assert pixels(page, "overlay", RAIL, 30) > 300, "no rail corridor drawn"
    links = page.evaluate("window.corridors.view.linkLayers.size")
    assert links > 100


def test_route_chongqing_duisburg_takes_the_northern_corridor(page: Any) -> None:
    route(page, "Chongqing", "Duisburg")
    best = page.inner_text(".route-card[aria-pressed=true] .via")
    assert best.startswith("CN–KZ–RU–BY–PL–DE"), best
    legs = page.inner_text("#legs")
    assert "Brest" in legs
    assert "Malaszewicze" in legs
    assert "days" in page.inner_text("#route-totals")
    assert pixels(page, "routes", BEST_ROUTE, 30) > 500, "the route is not drawn"


def test_avoiding_russia_and_belarus_takes_the_caspian_ferry(page: Any) -> None:
    route(page, "Chongqing", "Duisburg")
    before = page.inner_text("#route-totals")
    page.fill("#avoid", "RU,BY")
    page.click("#route-go")
    page.wait_for_function(
        "b => document.querySelector('#route-totals')?.innerText !== b", arg=before
    )
    after = page.inner_text("#route-totals")
    assert after != before
    for card in page.locator(".route-card .via").all_inner_texts():
        assert "RU" not in card.split(" · ")[0]
        assert "BY" not in card.split(" · ")[0]
    ferry = caspian_ferry(page)
    assert ferry in page.evaluate("window.corridors.view.drawnLinks")
    # the ferry leg's midpoint on the screen is painted in the route's colour
    x, y = page.evaluate(
        """(id) => {
          const v = window.corridors.view;
          const f = v.linkLayers.get(id).getLatLngs();
          const mid = L.latLng((f[0].lat + f[f.length - 1].lat) / 2, (f[0].lng + f[f.length - 1].lng) / 2);
          v.map.setView(mid, 6, { animate: false });
          const p = v.map.latLngToContainerPoint(mid);
          return [p.x, p.y];
        }""",
        ferry,
    )
    page.wait_for_timeout(300)  # let Leaflet repaint after the jump (not a timing assertion)
    box = page.eval_on_selector("#map", "m => m.getBoundingClientRect().toJSON()")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "caspian-ferry-leg.png"))
    near = page.evaluate(
        """([x, y, rgb]) => {
          const c = document.querySelector('.leaflet-routes-pane canvas');
          const r = c.getBoundingClientRect(), m = document.querySelector('#map').getBoundingClientRect();
          const sx = c.width / r.width, cx = (x + m.left - r.left) * sx, cy = (y + m.top - r.top) * sx;
          const d = c.getContext('2d').getImageData(cx - 6, cy - 6, 13, 13).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) {
            const dr = Math.abs(d[i] - rgb[0]), dg = Math.abs(d[i + 1] - rgb[1]);
            if (dr < 40 && dg < 40 && Math.abs(d[i + 2] - rgb[2]) < 40) n++;
          }
          return n;
        }""",
        [x, y, list(selected_colour(page))],
    )
    assert box["width"] > 0
    assert near > 5, "the Caspian ferry leg is not drawn"


def test_cpc_suspension_shows_bottleneck_and_shortfall(page: Any, base_url: str) -> None:
    page.select_option("#scenario", "cpc-suspension-2022")
    page.click("#tabs button[data-view=scenario]")
    assert "Caspian Pipeline Consortium" in page.inner_text("#scenario-description")
    assert page.locator("#scenario-sources li").count() >= 1
    page.click("#tabs button[data-view=flows]")
    page.wait_for_selector("#flow-results[data-state=done]", timeout=60_000)
    api = httpx.get(
        f"{base_url}/api/flow", params={"from": "KZ", "scenario": "cpc-suspension-2022"}
    ).json()
    shortfall = api["exports"]["shortfall"]
    assert shortfall > 0
    assert f"{shortfall:.2f}" in page.inner_text("#flow-shortfall")
    cut = page.inner_text("#bottleneck")
    assert all(c["name"] in cut for c in api["min_cut"])
    assert pixels(page, "flows", CUT, 30) > 200, "the bottleneck is not drawn"


def test_a_number_opens_its_source(page: Any, base_url: str) -> None:
    route(page, "Chongqing", "Duisburg")
    button = page.locator("#legs button.src").first
    source_id = button.get_attribute("data-source")
    button.click()
    page.wait_for_selector("#source-dialog[open]")
    title = httpx.get(f"{base_url}/api/sources/{source_id}").json()["title"]
    assert page.inner_text("#source-title") == title


def test_a_promise_shows_the_on_time_probability(page: Any, base_url: str) -> None:
    page.fill("#promise", "18")
    route(page, "Chongqing", "Duisburg")
    params = {"origin": "chongqing", "destination": "Duisburg", "alternatives": 3, "promise": 18}
    on_time = httpx.get(f"{base_url}/api/route", params=params, timeout=60).json()["on_time"]
    assert f"probability {on_time['probability']:.2f}" in page.inner_text("#route-on-time")


def test_clicking_a_country_closes_it(page: Any) -> None:
    point = page.evaluate(
        """() => { const v = window.corridors.view; v.map.setView([64, 100], 4, {animate: false});
                   const p = v.map.latLngToContainerPoint([64, 100]); return [p.x, p.y]; }"""
    )
    box = page.eval_on_selector("#map", "m => m.getBoundingClientRect().toJSON()")
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_selector(".chip[data-id=RU]")
    page.click(".chip[data-id=RU]")
    assert page.locator(".chip[data-id=RU]").count() == 0


def test_phone_sized_screen(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("() => { window.corridors.view.map.invalidateSize(); }")
    route(page, "Chongqing", "Duisburg")
    assert page.is_visible("#map")
    assert page.is_visible("#route-totals")
    assert pixels(page, "overlay") > 10_000, "the map canvas is blank"
    assert pixels(page, "routes", BEST_ROUTE, 30) > 100


def test_clicking_a_link_closes_it_and_the_route_moves(page: Any) -> None:
    route(page, "Chongqing", "Duisburg")
    page.fill("#avoid", "RU,BY")
    page.click("#route-go")
    page.wait_for_selector(".route-card >> text=KZ–AZ")
    ferry = caspian_ferry(page)
    before = page.inner_text("#route-totals")
    point = page.evaluate(
        """(id) => {
          const v = window.corridors.view;
          const f = v.linkLayers.get(id).getLatLngs();
          const mid = L.latLng((f[0].lat + f[1].lat) / 2, (f[0].lng + f[1].lng) / 2);
          v.map.setView(mid, 8, { animate: false });
          const p = v.map.latLngToContainerPoint(mid);
          return [p.x, p.y];
        }""",
        ferry,
    )
    box = page.eval_on_selector("#map", "m => m.getBoundingClientRect().toJSON()")
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_selector(f".chip[data-id={ferry}]")
    page.wait_for_function(
        "b => document.querySelector('#route-totals')?.innerText !== b", arg=before
    )
    assert page.locator(f"#legs tr[data-link={ferry}]").count() == 0


TOP_IMPACT = (0xBD, 0x00, 0x26)  # the impact ramp's top colour (static/js/map.js RAMP)
FILL_OF = (
    """(code) => window.corridors.view.countryLayers.get(code).getLayers()[0].options.fillColor"""
)


def rgb_of(hexa: str) -> tuple[int, int, int]:
    return (int(hexa[1:3], 16), int(hexa[3:5], 16), int(hexa[5:7], 16))


def test_criticality_view_colours_the_network_by_impact(page: Any, base_url: str) -> None:
    page.click("#tabs button[data-view=criticality]")
    page.wait_for_selector("#impact-results[data-state=done]", timeout=120_000)
    api = httpx.get(f"{base_url}/api/criticality", params={"top": 0}, timeout=120).json()
    ranked = page.locator("#impact-table tbody tr")
    assert ranked.count() == min(25, len(api["rows"]))
    assert ranked.first.get_attribute("data-element") == api["rows"][0]["element"]
    largest = max(api["rows"], key=lambda r: r["lost"] + r["rerouted"])
    assert largest["name"] in page.inner_text("#impact-legend")
    assert pixels(page, "impact") > 5_000, "the impact layer is blank"
    assert pixels(page, "impact", TOP_IMPACT, 30) > 300, "the largest impact is not drawn"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "criticality-links.png"))
    # countries have no line of their own: their outlines are filled by impact
    page.select_option("#impact-elements", "countries")
    page.click("#impact-go")
    page.wait_for_function(
        "() => document.querySelector('#impact-summary')?.innerText.includes('countries')"
    )
    by_country = httpx.get(f"{base_url}/api/criticality", params={"elements": "countries"})
    first = by_country.json()["rows"][0]["element"]
    fill = page.evaluate(FILL_OF, first)
    assert fill != "#fbfaf5"
    assert pixels(page, "overlay", rgb_of(fill), 6) > 500, "the country is not filled"


def test_leverage_view_shows_the_exporter_by_transit_matrix(page: Any, base_url: str) -> None:
    page.click("#tabs button[data-view=leverage]")
    page.wait_for_selector("#leverage-results[data-state=done]", timeout=120_000)
    m = httpx.get(f"{base_url}/api/leverage/matrix", params={"commodity": "crude"}).json()
    heads = page.locator("#leverage-matrix thead th").all_inner_texts()[1:]
    assert heads == m["transits"]
    i, j = m["exporters"].index("KZ"), m["transits"].index("RU")
    lost = m["cells"]["lost_share"][i][j]
    cell = page.locator("#leverage-matrix tr[data-exporter=KZ] td[data-transit=RU]")
    assert cell.inner_text() == f"{round(lost * 100)}%"
    assert page.get_attribute("#leverage-matrix tr[data-exporter=KZ]", "aria-selected") == "true"
    fill = page.evaluate(FILL_OF, "RU")
    assert fill != "#fbfaf5"
    assert pixels(page, "overlay", rgb_of(fill), 6) > 2_000, "Russia is not filled on the map"
    page.select_option("#leverage-measure", "value_at_risk_usd")
    assert "bn" in cell.inner_text()
    page.select_option("#leverage-measure", "lost_share")
    page.select_option("#scenario", "kazakh-caspian-oil-route")
    page.wait_for_selector("#leverage-after-box:not([hidden])")
    page.wait_for_selector("#leverage-results[data-state=done]", timeout=120_000)
    page.check("#leverage-after")
    after = httpx.get(
        f"{base_url}/api/leverage/matrix",
        params={"commodity": "crude", "scenario": "kazakh-caspian-oil-route"},
        timeout=120,
    ).json()
    moved = after["after"]["lost_share"][after["exporters"].index("KZ")][
        after["transits"].index("RU")
    ]
    assert moved < lost
    assert cell.inner_text() == f"{round(moved * 100)}%"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "leverage-matrix.png"))


def test_impact_views_on_a_phone_sized_screen(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("() => { window.corridors.view.map.invalidateSize(); }")
    page.click("#tabs button[data-view=criticality]")
    page.wait_for_selector("#impact-results[data-state=done]", timeout=120_000)
    assert page.is_visible("#impact-table")
    assert pixels(page, "impact") > 1_000, "the impact layer is blank"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "criticality-phone.png"), full_page=True)
    page.click("#tabs button[data-view=leverage]")
    page.wait_for_selector("#leverage-results[data-state=done]", timeout=120_000)
    assert page.is_visible("#leverage-matrix")
    assert pixels(page, "overlay") > 10_000, "the map canvas is blank"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page is wider than the screen"
