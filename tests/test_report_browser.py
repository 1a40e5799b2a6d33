"""The HTML report in a real browser: Debian's Chromium driven by Playwright, headless.

The page is opened from a file; every request it makes is recorded and must stay on the
page itself (``file:`` for the page, ``data:`` for the images). Every image must have
loaded and be far from one uniform colour. The screenshot goes to out/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import corridors as cx
from chromium import SHOTS, launch
from corridors.report import build_report, write_report

pytestmark = pytest.mark.browser


#: Per image: natural size, and the spread of its pixels (mean over channels of the
#: standard deviation, 0-255), read from a canvas in the page.
IMAGE_STATS = """() => [...document.images].map(img => {
  const c = document.createElement("canvas");
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  if (!c.width || !c.height) return {id: img.closest("figure").id, w: 0, h: 0, spread: 0};
  const g = c.getContext("2d"); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let spread = 0;
  for (let ch = 0; ch < 3; ch++) {
    let s = 0, s2 = 0, n = 0;
    for (let i = ch; i < d.length; i += 16) { s += d[i]; s2 += d[i] * d[i]; n++; }
    spread += Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2)) / 3;
  }
  return {id: img.closest("figure").id, w: c.width, h: c.height, spread};
})"""


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    net = cx.load()
    report = build_report(net, cx.load_scenario("cpc-suspension-2022"), draws=2000)
    return write_report(report, tmp_path_factory.mktemp("report") / "report.html")[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


def test_report_opens_offline_with_no_blank_chart(browser: Any, report_file: Path) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    seen: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report_file.as_uri())
    page.wait_for_load_state("load")
    stats = page.evaluate(IMAGE_STATS)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "report.png"), full_page=True)
    context.close()
    outside = [u for u in seen if urlsplit(u).scheme not in ("data", "file")]
    assert not outside, f"the report reached outside: {outside}"
    assert [u for u in seen if urlsplit(u).scheme == "file"] == [report_file.as_uri()]
    assert not errors
    ids = {s["id"] for s in stats}
    assert "chart-map" in ids
    assert len(ids) >= 4
    for s in stats:
        assert s["w"] > 100, s
        assert s["h"] > 100, s
        assert s["spread"] > 5.0, s
