// Small DOM and number helpers shared by the page's modules.

/** Create an element: el("td", {class: "num"}, "12"). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const two = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Format a number (null: an en dash). */
export function num(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return (digits === 0 ? whole : digits === 1 ? one : two).format(value);
}

/** Days low–high from a {low, high} range in days. */
export function days(range) {
  if (!range) return "–";
  return `${one.format(range.low)}–${one.format(range.high)}`;
}

/** Percent of a share (0..1). */
export function pct(value) {
  return value === null || value === undefined ? "–" : `${Math.round(value * 100)}%`;
}

/** Call fn at most once per wait ms, with the last arguments. */
export function debounce(fn, wait) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

/** Show a status message above the panel (kind: "info" or "error"); empty text hides it. */
export function message(text, kind = "info") {
  const box = document.getElementById("message");
  box.textContent = text || "";
  box.className = kind;
  box.hidden = !text;
}
