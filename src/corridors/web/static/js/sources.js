// Every number links to its source: a button per source id opens a dialog with it.
import { get } from "./api.js";
import { el } from "./util.js";

const cache = new Map();

/** Buttons for source ids (each opens the source dialog). */
export function sourceButtons(ids) {
  return (ids || []).map((id, i) =>
    el("button", { class: "src", type: "button", title: `Source: ${id}`, dataset: { source: id },
      onclick: () => openSource(id) }, `[${i + 1}]`),
  );
}

/** Fetch a source by id and show it. */
export async function openSource(id) {
  const dialog = document.getElementById("source-dialog");
  const body = document.getElementById("source-body");
  const title = document.getElementById("source-title");
  let source = cache.get(id);
  try {
    if (!source) {
      source = await get(`sources/${encodeURIComponent(id)}`);
      cache.set(id, source);
    }
  } catch (err) {
    source = { id, title: "Unknown source", publisher: err.message };
  }
  title.textContent = source.title || id;
  body.replaceChildren();
  const rows = [
    ["id", source.id],
    ["publisher", source.publisher],
    ["year", source.year],
    ["licence", source.licence],
    ["note", source.note],
  ];
  for (const [k, v] of rows) {
    if (v === null || v === undefined || v === "") continue;
    body.append(el("dt", {}, k), el("dd", {}, String(v)));
  }
  if (source.url) {
    // A link the reader may follow; the page itself never loads it.
    body.append(el("dt", {}, "url"),
      el("dd", {}, el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer" }, source.url)));
  }
  if (!dialog.open) dialog.showModal();
}
