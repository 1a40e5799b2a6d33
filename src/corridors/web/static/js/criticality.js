// The criticality view: the network coloured by each element's impact, a legend and the
// ranked table (GET /api/criticality, the answer of `corridors criticality --json`).
import { get } from "./api.js";
import { dimNetwork, drawImpact, fillCountries, NO_IMPACT, RAMP, showClosures } from "./map.js";
import { el, message, num, pct } from "./util.js";

const SHOWN = 25;

/** The legend: the ramp from no impact to the largest, in the answer's unit. */
function legend(answer, top) {
  const stops = RAMP.map((c, i) => `${c} ${(i / (RAMP.length - 1)) * 100}%`).join(", ");
  return el("div", { class: "impact-legend", id: "impact-legend" },
    el("div", { class: "ramp", style: `background: linear-gradient(90deg, ${stops})` }),
    el("div", { class: "ramp-labels" }, el("span", {}, "0"), el("span", {}, "largest")),
    top ? el("div", { class: "ramp-top" }, `Largest: ${top.name}, ${num(top.lost + top.rerouted)} ${answer.unit} lost + rerouted`) : null,
    el("div", {}, el("i", { class: "swatch", style: `background:${NO_IMPACT}` }), " no impact (no route uses it)"),
    el("p", {}, el("small", {}, "Colour and width: (lost + rerouted) / the largest such value.")));
}

function rankedTable(answer) {
  const capacitated = answer.engine === "capacitated";
  const heads = ["#", "element", answer.unit, "share", capacitated ? "" : "rerouted", capacitated ? "+USD/unit" : "+h/unit", "cut pairs"];
  return el("table", { id: "impact-table" },
    el("thead", {}, el("tr", {}, ...heads.map((h, i) => el("th", { class: i !== 1 ? "num" : null }, h)))),
    el("tbody", {}, answer.rows.slice(0, SHOWN).map((r) => el("tr", { dataset: { element: r.element, rank: r.rank } },
      el("td", { class: "num" }, r.rank),
      el("td", {}, r.name, r.countries.length ? el("small", {}, ` ${r.countries.join("–")}`) : null),
      el("td", { class: "num" }, num(r.lost)),
      el("td", { class: "num" }, pct(r.lost_share)),
      el("td", { class: "num" }, capacitated ? "" : num(r.rerouted)),
      el("td", { class: "num" }, capacitated ? num(r.extra_cost_usd, 1) : num(r.extra_time_h, 1)),
      el("td", { class: "num" }, capacitated ? "–" : r.disconnected_pairs)))));
}

/** Zoom to a ranked element's drawn layer. */
function focus(state, element) {
  const layer = state.view.impactLayers?.get(element);
  if (!layer) return;
  if (layer.getBounds) state.view.map.fitBounds(layer.getBounds(), { padding: [40, 40], maxZoom: 7 });
  else state.view.map.setView(layer.getLatLng(), Math.max(state.view.map.getZoom(), 5));
}

/** Countries have no geometry of their own: their outlines are filled by impact instead. */
function colourCountries(state, answer) {
  const top = Math.max(1e-12, ...answer.rows.map((r) => r.lost + r.rerouted));
  fillCountries(state.view, new Map(answer.rows.map((r) => [r.element, (r.lost + r.rerouted) / top])));
}

/** Run the sweep the form asks for (with the scenario and closures) and show it. */
export async function runCriticality(state) {
  const box = document.getElementById("impact-results");
  const params = {
    commodity: document.getElementById("impact-commodity").value,
    elements: document.getElementById("impact-elements").value,
    engine: document.getElementById("impact-engine").value,
    scenario: state.scenario,
    avoid: [...state.closures.countries].join(","),
    close_node: [...state.closures.nodes].join(","),
    close_link: [...state.closures.links].join(","),
    top: 0,
  };
  box.dataset.state = "loading";
  box.replaceChildren(el("p", {}, el("small", {}, `Removing every ${params.elements.replace(/s$/, "")} in turn…`)));
  try {
    const answer = await get("criticality", params);
    if (state.active !== "criticality") { box.dataset.state = "stale"; return; }
    message("");
    const top = answer.rows.reduce((a, r) => (!a || r.lost + r.rerouted > a.lost + a.rerouted ? r : a), null);
    box.replaceChildren(
      el("h2", {}, `${answer.commodity}: ${answer.elements} by impact`, el("small", {}, ` ${answer.engine}, ${answer.scenario}`)),
      el("p", { id: "impact-summary" }, `Demand weighed: ${num(answer.demand_total)} ${answer.unit} in ${answer.pairs} pairs; ${answer.rows_total} ${answer.elements} scored.`),
      legend(answer, top),
      rankedTable(answer),
      answer.rows.length > SHOWN ? el("p", {}, el("small", {}, `Top ${SHOWN} of ${answer.rows.length}; all are drawn on the map.`)) : null,
    );
    for (const tr of box.querySelectorAll("#impact-table tbody tr")) tr.addEventListener("click", () => focus(state, tr.dataset.element));
    box.dataset.state = "done";
    if (window.matchMedia("(max-width: 760px)").matches) box.scrollIntoView({ block: "start" });
    const bounds = drawImpact(state.view, answer.features.features);
    // Countries are filled on the outlines, which the dimmed network would wash out.
    const countries = answer.elements === "countries";
    if (countries) colourCountries(state, answer);
    else showClosures(state.view, state.closures);
    dimNetwork(state.view, !countries);
    if (bounds && state.fit) state.view.map.fitBounds(bounds, { padding: [20, 20] });
  } catch (err) {
    box.dataset.state = "error";
    box.replaceChildren();
    drawImpact(state.view, []);
    message(err.message, "error");
  }
}
