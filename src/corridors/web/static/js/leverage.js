// The leverage view: the exporter x transit matrix as a coloured table (crossing share,
// lost share, value at risk), and the picked exporter's transit countries filled on the map
// (GET /api/leverage/matrix, the rows of `corridors leverage --json` laid out as grids).
import { get } from "./api.js";
import { fillCountries, ramp } from "./map.js";
import { el, message, num, pct } from "./util.js";

const LABELS = { crossing_share: "crossing share", lost_share: "lost share", value_at_risk_usd: "value at risk" };

function shown(m, measure, after) {
  return (after && m.after ? m.after : m.cells)[measure];
}

function cellText(measure, v) {
  if (v === null || v === undefined) return "–";
  return measure === "value_at_risk_usd" ? `${num(v / 1e9, 2)} bn` : pct(v);
}

/** Colour scale of a grid: shares on 0..1, value at risk on 0..its largest cell. */
function scaleOf(measure, grid) {
  if (measure !== "value_at_risk_usd") return 1;
  return Math.max(1e-9, ...grid.flat().filter((v) => v !== null));
}

function matrixTable(state, m, measure, after) {
  const grid = shown(m, measure, after);
  const scale = scaleOf(measure, grid);
  const head = el("tr", {}, el("th", {}, "exporter \\ transit"), ...m.transits.map((t) => el("th", { class: "num" }, t)));
  const rows = m.exporters.map((e, i) => el("tr", { dataset: { exporter: e }, "aria-selected": String(e === state.leverageExporter) },
    el("th", {}, el("button", { type: "button", class: "exporter", onclick: () => pick(state, e) }, e)),
    ...m.transits.map((t, j) => {
      const v = grid[i][j];
      const x = v === null ? null : v / scale;
      const style = x === null ? null : `background:${ramp(x)};color:${x > 0.6 ? "#fff" : "#1d2430"}`;
      return el("td", { class: "num cell", style, dataset: { transit: t, value: v ?? "" } }, cellText(measure, v));
    })));
  return el("div", { class: "scroll" }, el("table", { id: "leverage-matrix" }, el("thead", {}, head), el("tbody", {}, rows)));
}

function legend(m, measure, after) {
  const grid = shown(m, measure, after);
  const top = measure === "value_at_risk_usd" ? `${num(scaleOf(measure, grid) / 1e9, 2)} bn USD/yr` : "100%";
  const stops = [0, 0.25, 0.5, 0.75, 1].map((v) => `${ramp(v)} ${v * 100}%`).join(", ");
  return el("div", { class: "impact-legend", id: "leverage-legend" },
    el("div", { class: "ramp", style: `background: linear-gradient(90deg, ${stops})` }),
    el("div", { class: "ramp-labels" }, el("span", {}, "0"), el("span", {}, top)),
    el("p", {}, el("small", {}, "– : the exporter's flow does not touch that country. Click an exporter to fill its transit countries on the map.")));
}

/** Fill the map with one exporter's row of the matrix. */
function pick(state, exporter) {
  state.leverageExporter = exporter;
  render(state);
}

function render(state) {
  const m = state.leverageMatrix;
  if (!m) return;
  const box = document.getElementById("leverage-results");
  const measure = document.getElementById("leverage-measure").value;
  const after = document.getElementById("leverage-after").checked && Boolean(m.after);
  if (!m.exporters.includes(state.leverageExporter)) {
    // First shown: the exporter with the largest cell of the grid.
    const top = (row) => Math.max(-1, ...row.filter((v) => v !== null));
    const grid0 = shown(m, measure, after);
    state.leverageExporter = m.exporters.reduce((a, e, i) => (a === null || top(grid0[i]) > top(grid0[m.exporters.indexOf(a)]) ? e : a), null);
  }
  box.replaceChildren(
    el("h2", {}, `${m.commodity}: ${LABELS[measure]}`, el("small", {}, ` ${m.unit}${after ? `, under ${m.scenario}` : m.scenario ? `, before ${m.scenario}` : ", baseline"}`)),
    legend(m, measure, after),
    matrixTable(state, m, measure, after),
  );
  box.dataset.state = "done";
  const grid = shown(m, measure, after);
  const i = m.exporters.indexOf(state.leverageExporter);
  const scale = scaleOf(measure, grid);
  const values = new Map(i < 0 ? [] : m.transits.map((t, j) => [t, grid[i][j] === null ? null : grid[i][j] / scale]));
  fillCountries(state.view, values);
}

/** Ask for the matrix (with the picked scenario) and show it. */
export async function runLeverage(state) {
  const box = document.getElementById("leverage-results");
  const params = { commodity: document.getElementById("leverage-commodity").value, scenario: state.scenario };
  document.getElementById("leverage-after-box").hidden = !state.scenario;
  box.dataset.state = "loading";
  try {
    const m = await get("leverage/matrix", params);
    message("");
    state.leverageMatrix = m;
    if (state.active !== "leverage") { box.dataset.state = "stale"; return; }
    render(state);
    if (window.matchMedia("(max-width: 760px)").matches) box.scrollIntoView({ block: "start" });
  } catch (err) {
    box.dataset.state = "error";
    box.replaceChildren();
    message(err.message, "error");
  }
}

/** Re-render on a change of measure or before/after (no new request). */
export function wireLeverage(state) {
  for (const id of ["leverage-measure", "leverage-after"]) {
    document.getElementById(id).addEventListener("change", () => render(state));
  }
}
