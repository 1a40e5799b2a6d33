// The flows view: pipeline utilisation, the bottleneck (min cut) and the export shortfall.
import { get } from "./api.js";
import { drawFlows } from "./map.js";
import { sourceButtons } from "./sources.js";
import { el, message, num, pct } from "./util.js";

function bar(use) {
  if (use === null || use === undefined) return "";
  const full = use >= 0.999;
  return el("span", { class: `bar${full ? " full" : ""}`, style: `width:${Math.min(100, use * 100) * 0.5}px` });
}

function kpis(answer) {
  const ex = answer.exports || {};
  const u = answer.unit;
  const items = [
    el("div", {}, "Delivered", el("b", { id: "flow-delivered" }, `${num(answer.delivered_total, 2)} ${u}`)),
  ];
  if (ex.reference !== null && ex.reference !== undefined) {
    items.push(el("div", {}, "Actual exports", el("b", {}, `${num(ex.reference, 2)} ${u}`)));
    items.push(el("div", { class: "short" }, "Shortfall", el("b", { id: "flow-shortfall" }, `${num(ex.shortfall, 2)} ${u}`)));
  }
  const box = el("div", { class: "kpi" }, items);
  const note = ex.reference_note ? el("p", {}, el("small", {}, `Reference: ${ex.reference_note}`)) : null;
  return [box, note];
}

function cutTable(answer) {
  return el("table", { id: "bottleneck" },
    el("thead", {}, el("tr", {}, el("th", {}, "bottleneck (min cut)"), el("th", {}, "kind"), el("th", { class: "num" }, answer.unit))),
    el("tbody", {}, answer.min_cut.map((c) => el("tr", { class: "cut", dataset: { id: c.id } },
      el("td", {}, c.name), el("td", {}, c.kind), el("td", { class: "num" }, num(c.capacity, 2))))));
}

function linksTable(state, answer) {
  const cut = new Set(answer.min_cut.map((c) => c.id));
  const rows = [...answer.links].sort((a, b) => (b.utilisation ?? -1) - (a.utilisation ?? -1) || b.flow - a.flow);
  return el("table", { id: "flow-links" },
    el("thead", {}, el("tr", {}, ...["link", answer.unit, "capacity", "use", ""].map((h, i) => el("th", { class: i && i < 4 ? "num" : null }, h)))),
    el("tbody", {}, rows.map((l) => {
      const props = state.view.linkLayers.get(l.id)?.feature.properties;
      return el("tr", { class: cut.has(l.id) ? "cut" : null, dataset: { link: l.id } },
        el("td", {}, l.name || l.id),
        el("td", { class: "num" }, num(l.flow, 2)),
        el("td", { class: "num" }, num(l.capacity, 2)),
        el("td", { class: "num" }, pct(l.utilisation), " ", bar(l.utilisation)),
        el("td", {}, sourceButtons(props ? props.sources : [])));
    })));
}

/** Solve the flow the form asks for (with the scenario and closures) and show it. */
export async function runFlow(state) {
  const box = document.getElementById("flow-results");
  const params = {
    commodity: document.getElementById("flow-commodity").value,
    from: document.getElementById("flow-from").value.trim() || "KZ",
    scenario: state.scenario,
    avoid: [...state.closures.countries].join(","),
    close_node: [...state.closures.nodes].join(","),
    close_link: [...state.closures.links].join(","),
  };
  box.dataset.state = "loading";
  try {
    const answer = await get("flow", params);
    message("");
    box.replaceChildren(
      el("h2", {}, `${answer.commodity} from ${params.from}`, el("small", {}, ` ${answer.scenario}, ${answer.mode} flow`)),
      ...kpis(answer),
      el("h3", {}, "Bottleneck"),
      cutTable(answer),
      el("h3", {}, "Link utilisation"),
      linksTable(state, answer),
    );
    box.dataset.state = "done";
    if (window.matchMedia("(max-width: 760px)").matches) box.scrollIntoView({ block: "start" });
    const bounds = drawFlows(state.view, answer.features.features);
    if (bounds && state.fit) state.view.map.fitBounds(bounds, { padding: [20, 20] });
  } catch (err) {
    box.dataset.state = "error";
    box.replaceChildren();
    drawFlows(state.view, []);
    message(err.message, "error");
  }
}
