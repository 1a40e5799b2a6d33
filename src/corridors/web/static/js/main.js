// The page: wires the map, the views (route, flows, criticality, leverage, scenario),
// closures and the picker.
import { get } from "./api.js";
import { runCriticality } from "./criticality.js";
import { runFlow } from "./flows.js";
import { runLeverage, wireLeverage } from "./leverage.js";
import { createMap, dimNetwork, drawCountries, drawNetwork, showClosures } from "./map.js";
import { autocomplete, runRoute } from "./route.js";
import { loadScenarios } from "./scenarios.js";
import { el, message } from "./util.js";

const view = createMap(document.getElementById("map"));
const state = {
  view,
  active: "route",
  scenario: "",
  fit: true,
  closures: { countries: new Set(), nodes: new Set(), links: new Set() },
};
window.corridors = { state, view };

// One entry per view: its map layer, its results box, whether the network is dimmed under
// it, whether it runs when first opened, and how it refreshes.
const VIEWS = {
  route: { layer: "routes", results: "route-results", run: () => (document.getElementById("origin").value ? runRoute(state) : null) },
  flows: { layer: "flows", results: "flow-results", dim: true, auto: true, run: () => runFlow(state) },
  criticality: { layer: "impact", results: "impact-results", dim: true, auto: true, run: () => runCriticality(state) },
  leverage: { layer: null, results: "leverage-results", auto: true, run: () => runLeverage(state) },
  scenario: { layer: null, results: null, run: () => null },
};
// Views that fill the country outlines (their colours are put back when they are left).
const FILLS = new Set(["criticality", "leverage"]);

function activate(name) {
  const left = state.active;
  state.active = name;
  for (const button of document.querySelectorAll("#tabs button")) {
    button.setAttribute("aria-selected", String(button.dataset.view === name));
  }
  for (const [key, v] of Object.entries(VIEWS)) {
    document.getElementById(`view-${key}`).hidden = key !== name;
    if (!v.layer) continue;
    const group = view.layers[v.layer];
    if (key === name || (name === "scenario" && key === "route")) view.map.addLayer(group);
    else view.map.removeLayer(group);
  }
  dimNetwork(view, Boolean(VIEWS[name].dim));
  if (FILLS.has(left) && left !== name) showClosures(view, state.closures);
  const v = VIEWS[name];
  const results = v.results ? document.getElementById(v.results) : null;
  if (v.auto && results && results.dataset.state !== "done") v.run();
  else if (FILLS.has(name) && results?.dataset.state === "done") v.run();
}

/** Mark every view's answer out of date (the scenario or the closures changed). */
function stale() {
  for (const v of Object.values(VIEWS)) {
    const box = v.results && v.auto ? document.getElementById(v.results) : null;
    if (box && box.dataset.state !== "empty") box.dataset.state = "stale";
  }
}

function refresh() {
  const v = VIEWS[state.active];
  if (state.active === "route" && document.getElementById("route-results").dataset.state === "empty") return null;
  return v.run();
}

function renderClosures() {
  const box = document.getElementById("closure-chips");
  const chips = [];
  for (const [kind, set] of Object.entries(state.closures)) {
    for (const id of set) {
      const label = kind === "countries" ? id : (view.linkLayers.get(id) || view.nodeLayers.get(id))?.feature.properties.name || id;
      chips.push(el("button", { class: "chip", type: "button", title: "Open again", dataset: { kind, id },
        onclick: () => toggle(kind, id) }, `${label} ✕`));
    }
  }
  box.replaceChildren(...chips);
  document.getElementById("closures").hidden = chips.length === 0;
  showClosures(view, state.closures);
}

function toggle(kind, id) {
  const set = state.closures[kind];
  if (set.has(id)) set.delete(id);
  else set.add(id);
  renderClosures();
  state.fit = false;
  stale();
  Promise.resolve(refresh()).finally(() => { state.fit = true; });
}

function fillForm(meta) {
  const codes = document.getElementById("country-codes");
  codes.replaceChildren(...meta.countries.map((c) => el("option", { value: c.code }, c.name)));
  const passages = document.getElementById("avoid-passages");
  passages.append(...meta.passages.map((p) => el("label", {}, el("input", { type: "checkbox", value: p.id }), ` ${p.name}`)));
  const modes = document.getElementById("avoid-modes");
  const routeModes = new Set(meta.commodities.find((c) => c.id === "container")?.modes || meta.modes);
  modes.append(...meta.modes.filter((m) => routeModes.has(m)).map((m) => el("label", {}, el("input", { type: "checkbox", value: m }), ` ${m}`)));
}

async function start() {
  document.body.dataset.ready = "loading";
  for (const button of document.querySelectorAll("#tabs button")) {
    button.addEventListener("click", () => activate(button.dataset.view));
  }
  autocomplete(document.getElementById("origin"), document.getElementById("origin-suggest"));
  autocomplete(document.getElementById("destination"), document.getElementById("destination-suggest"));
  document.getElementById("route-form").addEventListener("submit", (e) => { e.preventDefault(); runRoute(state); });
  document.getElementById("flow-form").addEventListener("submit", (e) => { e.preventDefault(); runFlow(state); });
  document.getElementById("impact-form").addEventListener("submit", (e) => { e.preventDefault(); runCriticality(state); });
  document.getElementById("leverage-form").addEventListener("submit", (e) => { e.preventDefault(); runLeverage(state); });
  wireLeverage(state);
  try {
    const [meta, topo, network] = await Promise.all([
      get("meta"),
      fetch("/static/vendor/world-atlas/countries-50m.json").then((r) => r.json()),
      get("network"),
    ]);
    fillForm(meta);
    drawCountries(view, topo, meta.countries, (code) => toggle("countries", code));
    drawNetwork(view, network, (kind, id) => toggle(kind, id));
    await loadScenarios((name) => {
      state.scenario = name;
      stale();
      refresh();
    });
    document.body.dataset.ready = "network";
  } catch (err) {
    document.body.dataset.ready = "error";
    message(`The map could not load: ${err.message}`, "error");
  }
}

start();
