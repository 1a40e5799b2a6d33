// The scenario picker: shipped scenarios with their description and sources.
import { get } from "./api.js";
import { el } from "./util.js";

/** Fill the picker from /api/scenarios; calls onPick(name) when the choice changes. */
export async function loadScenarios(onPick) {
  const select = document.getElementById("scenario");
  const list = await get("scenarios");
  for (const s of list) {
    select.append(el("option", { value: s.name }, s.title ? `${s.title}` : s.name));
  }
  select.addEventListener("change", () => {
    showScenario(list.find((s) => s.name === select.value));
    onPick(select.value);
  });
  return list;
}

/** The card of the picked scenario: title, date, description, sources. */
export function showScenario(s) {
  const card = document.getElementById("scenario-card");
  if (!s) {
    card.replaceChildren(el("p", {}, "Baseline: the network as in the data, nothing closed."));
    return;
  }
  card.replaceChildren(
    el("h2", {}, s.title || s.name),
    el("p", {}, el("small", {}, `${s.name}${s.date ? ` · ${s.date}` : ""}`)),
    el("p", { id: "scenario-description" }, s.description || "(no description)"),
    el("h3", {}, "Sources"),
    s.sources.length ? el("ul", { id: "scenario-sources" }, s.sources.map((x) => el("li", {}, x))) : el("p", {}, "none given"),
    el("p", {}, el("small", {}, "The route and flows views use the picked scenario.")),
  );
}
