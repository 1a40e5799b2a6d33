// The route view: origin/destination with autocomplete, constraints, routes and their legs.
import { get } from "./api.js";
import { drawRoutes, ROUTE_COLOURS } from "./map.js";
import { sourceButtons } from "./sources.js";
import { days, debounce, el, message, num } from "./util.js";

/** Autocomplete on a place input: suggestions from /api/places as the user types. */
export function autocomplete(input, list) {
  let items = [];
  let active = -1;
  const close = () => { list.hidden = true; active = -1; };
  const pick = (item) => {
    input.value = item.name;
    input.dataset.id = item.id;
    close();
  };
  const render = () => {
    list.replaceChildren(...items.map((item, i) =>
      el("li", { role: "option", "aria-selected": String(i === active), onmousedown: (e) => { e.preventDefault(); pick(item); } },
        item.name, el("small", {}, `${item.kind}, ${item.country}${item.match !== item.name ? ` — ${item.match}` : ""}`))));
    list.hidden = items.length === 0;
  };
  const lookup = debounce(async () => {
    const q = input.value.trim();
    if (!q) { items = []; render(); return; }
    try {
      items = await get("places", { q, limit: 8 });
    } catch {
      items = [];
    }
    active = -1;
    if (document.activeElement === input) render();
  }, 120);
  input.addEventListener("input", () => { delete input.dataset.id; lookup(); });
  input.addEventListener("blur", close);
  input.addEventListener("keydown", (e) => {
    if (list.hidden || !items.length) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      render();
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      pick(items[active]);
    } else if (e.key === "Escape") {
      close();
    }
  });
}

function checked(fieldset) {
  return [...fieldset.querySelectorAll("input:checked")].map((i) => i.value).join(",");
}

/** The route request the form and the closures ask for. */
export function routeParams(state) {
  const form = document.getElementById("route-form");
  const origin = form.origin.dataset.id || form.origin.value.trim();
  const destination = form.destination.dataset.id || form.destination.value.trim();
  const typed = form.avoid.value.split(",").map((c) => c.trim().toUpperCase()).filter(Boolean);
  const avoid = [...new Set([...typed, ...state.closures.countries])].join(",");
  return {
    origin, destination, avoid,
    optimize: form.optimize.value,
    alternatives: form.alternatives.value,
    avoid_passage: checked(document.getElementById("avoid-passages")),
    avoid_mode: checked(document.getElementById("avoid-modes")),
    close_node: [...state.closures.nodes].join(","),
    close_link: [...state.closures.links].join(","),
    scenario: state.scenario,
    promise: form.promise.value,
  };
}

function legRows(route) {
  const stopsAt = new Map();
  for (const s of route.stops) {
    if (!stopsAt.has(s.node_id)) stopsAt.set(s.node_id, []);
    stopsAt.get(s.node_id).push(s);
  }
  const rows = [];
  route.legs.forEach((leg, i) => {
    rows.push(el("tr", { dataset: { link: leg.link_id, mode: leg.mode, countries: leg.countries.join(",") } },
      el("td", { class: "num" }, i + 1),
      el("td", {}, `${leg.from_name} → ${leg.to_name}`),
      el("td", {}, leg.mode + (leg.wait_h ? ` (+${num(leg.wait_h)} h wait)` : "")),
      el("td", {}, leg.countries.join("–")),
      el("td", { class: "num" }, num(leg.length_km)),
      el("td", { class: "num" }, days({ low: leg.time_h.low / 24, high: leg.time_h.high / 24 })),
      el("td", { class: "num" }, num(leg.cost_usd)),
      el("td", {}, sourceButtons(leg.sources))));
    for (const s of stopsAt.get(leg.to_id) || []) {
      rows.push(el("tr", { class: "stop" },
        el("td", {}), el("td", {}, `at ${s.node_name}`), el("td", {}, s.kind.replaceAll("_", " ")),
        el("td", {}), el("td", {}),
        el("td", { class: "num" }, days({ low: s.time_h.low / 24, high: s.time_h.high / 24 })),
        el("td", { class: "num" }, num(s.cost_usd)), el("td", {}, sourceButtons(s.sources))));
    }
    stopsAt.delete(leg.to_id);
  });
  return rows;
}

function totalsText(route) {
  const t = route.totals;
  return `${days(t.time_days)} days · ${num(t.length_km)} km · USD ${num(t.cost_usd)} per unit`;
}

function legsTable(route) {
  return el("table", { id: "legs" },
    el("thead", {}, el("tr", {}, ...["#", "from → to", "mode", "countries", "km", "days", "USD", ""].map((h, i) =>
      el("th", { class: i >= 4 && i <= 6 ? "num" : null }, h)))),
    el("tbody", {}, legRows(route)));
}

/** The best route's chance of arriving within the promised days (Monte Carlo). */
function onTime(t) {
  const d = t.distribution;
  return el("p", { id: "route-on-time" },
    `On time within ${num(t.promise_days, 1)} days with probability ${num(t.probability, 2)}`,
    el("small", {}, ` (P10/P50/P90 ${num(d.p10, 1)}/${num(d.p50, 1)}/${num(d.p90, 1)} days; ${num(d.draws)} draws, seed ${d.seed}; disruptions: ${d.events.join(", ") || "none"})`));
}

/** Show routes (cards and the selected route's legs) and draw them. */
export function showRoutes(state, answer, selected = 0) {
  const box = document.getElementById("route-results");
  const routes = answer.routes;
  const cards = routes.map((r, i) => el("button", {
    class: "route-card", type: "button", "aria-pressed": String(i === selected),
    style: `--c:${ROUTE_COLOURS[i % ROUTE_COLOURS.length]}`,
    onclick: () => showRoutes(state, answer, i),
  }, el("div", { class: "totals" }, `${i === 0 ? "Best" : `Alternative ${i}`}: ${totalsText(r)}`),
  el("div", { class: "via" }, `${r.countries.join("–")}${r.passages.length ? ` · via ${r.passages.join(", ")}` : ""} · ${r.modes.join(", ")}`)));
  const route = routes[selected];
  box.replaceChildren(
    el("h2", {}, `${route.origin_name} → ${route.destination_name}`, el("small", {}, ` ${answer.scenario}, by ${route.objective}`)),
    el("div", { class: "routes" }, cards),
    el("p", { id: "route-totals", class: "totals", dataset: { days: JSON.stringify(route.totals.time_days), km: route.totals.length_km } },
      `Total: ${totalsText(route)}`),
    answer.on_time && selected === 0 ? onTime(answer.on_time) : null,
    legsTable(route),
  );
  box.dataset.state = "done";
  if (window.matchMedia("(max-width: 760px)").matches) box.scrollIntoView({ block: "start" });
  const bounds = drawRoutes(state.view, answer.features.features, selected);
  if (bounds && state.fit) state.view.map.fitBounds(bounds, { padding: [20, 20] });
}

/** Ask for routes and show them (or say why there is none). */
export async function runRoute(state) {
  const params = routeParams(state);
  const box = document.getElementById("route-results");
  if (!params.origin || !params.destination) return;
  box.dataset.state = "loading";
  try {
    const answer = await get("route", params);
    message("");
    showRoutes(state, answer);
  } catch (err) {
    box.dataset.state = "error";
    box.replaceChildren();
    drawRoutes(state.view, [], 0);
    message(err.message, "error");
  }
}
