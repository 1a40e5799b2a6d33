// The Leaflet map: country outlines (Natural Earth via world-atlas), the network coloured by
// mode and status, routes and flows. Everything is drawn on canvases, offline (no tiles).
/* global L, topojson */

export const MODE_COLOURS = {
  rail: "#6a1b9a",
  road: "#8d6e63",
  sea: "#1565c0",
  ferry: "#00838f",
  oil_pipeline: "#212121",
  gas_pipeline: "#ef6c00",
  tanker: "#3949ab",
  air: "#78909c",
};
export const ROUTE_COLOURS = ["#d81b60", "#00897b", "#f9a825", "#5e35b1", "#6d4c41", "#43a047", "#1e88e5", "#8e24aa"];
const FLOW_COLOUR = "#2e7d32";
const CUT_COLOUR = "#c62828";

/** Create the map with its panes: base (interactive), routes and flows (drawn on top). */
export function createMap(element) {
  const map = L.map(element, { preferCanvas: true, worldCopyJump: false, minZoom: 2, zoomSnap: 0.25 });
  map.setView([45, 62], 3);
  for (const [name, z] of [["routes", 450], ["impact", 455], ["flows", 460]]) {
    const pane = map.createPane(name);
    pane.style.zIndex = z;
    pane.style.pointerEvents = "none";
  }
  const renderers = {
    base: L.canvas({ padding: 0.5, tolerance: 4 }),
    routes: L.canvas({ pane: "routes", padding: 0.5 }),
    flows: L.canvas({ pane: "flows", padding: 0.5 }),
    impact: L.canvas({ pane: "impact", padding: 0.5 }),
  };
  const layers = {
    countries: L.layerGroup().addTo(map),
    links: L.layerGroup().addTo(map),
    nodes: L.layerGroup().addTo(map),
    routes: L.layerGroup().addTo(map),
    flows: L.layerGroup().addTo(map),
    impact: L.layerGroup(),
  };
  L.control.scale({ imperial: false }).addTo(map);
  legend().addTo(map);
  return { map, renderers, layers, linkLayers: new Map(), nodeLayers: new Map(), countryLayers: new Map() };
}

function legend() {
  const control = L.control({ position: "bottomleft" });
  control.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    div.innerHTML = Object.entries(MODE_COLOURS)
      .map(([m, c]) => `<div><i style="background:${c}"></i>${m.replace("_", " ")}</div>`)
      .join("") + '<div><i class="dash"></i>not operating</div>';
    return div;
  };
  return control;
}

/** Country outlines; network countries are clickable (numeric ISO id -> alpha-2 code). */
export function drawCountries(view, topo, countries, onClick) {
  const byNumeric = new Map(countries.filter((c) => c.numeric).map((c) => [String(Number(c.numeric)), c]));
  const geo = topojson.feature(topo, topo.objects.countries);
  view.layers.countries.clearLayers();
  for (const feature of geo.features) {
    const country = byNumeric.get(String(Number(feature.id)));
    const layer = L.geoJSON(feature, {
      renderer: view.renderers.base,
      interactive: Boolean(country),
      style: () => ({ color: "#9aa5b1", weight: 0.7, fillColor: country ? "#fbfaf5" : "#eceae4", fillOpacity: 1 }),
    });
    if (country) {
      layer.bindTooltip(`${country.name} (${country.code}): click to close or open`, { sticky: true });
      layer.on("click", () => onClick(country.code));
      view.countryLayers.set(country.code, layer);
    }
    layer.addTo(view.layers.countries);
  }
}

// Sea lanes and tanker routes are long and drawn light so the land corridors stay readable;
// air links (airport to airport, straight) fainter still, dotted.
const LIGHT = new Set(["sea", "tanker"]);

function linkStyle(props, closed) {
  const operating = props.status === "operating";
  const light = LIGHT.has(props.mode);
  if (props.mode === "air" && !closed) return { color: MODE_COLOURS.air, weight: 0.8, opacity: 0.3, dashArray: "1 4" };
  return {
    color: closed ? "#9e9e9e" : MODE_COLOURS[props.mode] || "#555",
    weight: light ? 1.2 : props.mode.endsWith("pipeline") ? 2.2 : 2.6,
    opacity: closed ? 0.8 : light ? 0.3 : operating ? 0.85 : 0.55,
    dashArray: closed ? "2 5" : operating ? null : "6 5",
  };
}

/** The network: links (by mode and status) then nodes; a click closes or opens one. */
export function drawNetwork(view, collection, onClick) {
  view.layers.links.clearLayers();
  view.layers.nodes.clearLayers();
  view.linkLayers.clear();
  view.nodeLayers.clear();
  for (const f of collection.features) {
    const p = f.properties;
    if (p.layer === "link") {
      const latlngs = f.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
      const line = L.polyline(latlngs, { renderer: view.renderers.base, ...linkStyle(p, false) });
      line.bindTooltip(`${p.name} — ${p.mode.replace("_", " ")}, ${p.status}${p.capacity ? `, capacity ${p.capacity} ${p.capacity_unit}` : ""}`, { sticky: true });
      line.on("click", (e) => { L.DomEvent.stop(e); onClick("links", p.id); });
      line.feature = f;
      line.addTo(view.layers.links);
      view.linkLayers.set(p.id, line);
    } else if (p.layer === "node") {
      const [lon, lat] = f.geometry.coordinates;
      const crossing = p.kind === "border" || p.kind === "port";
      const dot = L.circleMarker([lat, lon], {
        renderer: view.renderers.base, radius: crossing ? 3.5 : 2.5, weight: 1,
        color: "#37474f", fillColor: crossing ? "#ffca28" : "#ffffff", fillOpacity: 1,
      });
      dot.bindTooltip(`${p.name} (${p.kind}, ${p.country})`);
      dot.on("click", (e) => { L.DomEvent.stop(e); onClick("nodes", p.id); });
      dot.feature = f;
      dot.addTo(view.layers.nodes);
      view.nodeLayers.set(p.id, dot);
    }
  }
}

/** Restyle closed countries, links and nodes. */
export function showClosures(view, closures) {
  for (const [code, layer] of view.countryLayers) {
    const closed = closures.countries.has(code);
    layer.setStyle({ fillColor: closed ? "#ffcdd2" : "#fbfaf5" });
  }
  for (const [id, line] of view.linkLayers) {
    line.setStyle(linkStyle(line.feature.properties, closures.links.has(id)));
  }
  for (const [id, dot] of view.nodeLayers) {
    dot.setStyle({ color: closures.nodes.has(id) ? CUT_COLOUR : "#37474f", weight: closures.nodes.has(id) ? 3 : 1 });
  }
}

function latlngs(feature) {
  return feature.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
}

/** Routes: alternatives thin, the selected one thick on a white casing; returns its bounds. */
export function drawRoutes(view, features, selected) {
  view.layers.routes.clearLayers();
  const drawn = [];
  const order = [...new Set(features.map((f) => f.properties.route))].sort((a, b) => (a === selected) - (b === selected));
  let bounds = null;
  for (const rank of order) {
    const mine = features.filter((f) => f.properties.route === rank && f.geometry.type === "LineString");
    const top = rank === selected;
    for (const f of mine) {
      const opts = { renderer: view.renderers.routes, interactive: false };
      if (top) L.polyline(latlngs(f), { ...opts, color: "#ffffff", weight: 9, opacity: 0.9 }).addTo(view.layers.routes);
      const line = L.polyline(latlngs(f), { ...opts, color: ROUTE_COLOURS[rank % ROUTE_COLOURS.length], weight: top ? 5 : 3, opacity: top ? 1 : 0.75 });
      line.addTo(view.layers.routes);
      if (top) {
        drawn.push(f.properties.link_id);
        bounds = bounds ? bounds.extend(line.getBounds()) : line.getBounds();
      }
    }
  }
  view.drawnLinks = drawn;
  return bounds;
}

/** A flow: width by volume, red where a link is in the min cut (the bottleneck). */
export function drawFlows(view, features) {
  view.layers.flows.clearLayers();
  const top = Math.max(1e-9, ...features.filter((f) => f.properties.layer === "flow").map((f) => f.properties.flow));
  let bounds = null;
  const drawn = [];
  for (const f of features) {
    const p = f.properties;
    const opts = { renderer: view.renderers.flows, interactive: false };
    if (p.layer === "flow") {
      const line = L.polyline(latlngs(f), {
        ...opts, color: p.cut ? CUT_COLOUR : FLOW_COLOUR, opacity: 0.9,
        weight: 2 + 8 * Math.sqrt(p.flow / top),
      }).addTo(view.layers.flows);
      bounds = bounds ? bounds.extend(line.getBounds()) : line.getBounds();
      drawn.push(p.id);
    } else if (p.layer === "cut") {
      const [lon, lat] = f.geometry.coordinates;
      L.circleMarker([lat, lon], { ...opts, radius: 8, color: CUT_COLOUR, weight: 3, fillOpacity: 0.3 }).addTo(view.layers.flows);
      drawn.push(p.id);
    }
  }
  view.drawnFlows = drawn;
  return bounds;
}

/** Dim the network while a flow or an impact layer is shown (and restore it). */
export function dimNetwork(view, dim) {
  const pane = view.map.getPanes().overlayPane;
  pane.style.opacity = dim ? "0.45" : "1";
}

// Impact and leverage are drawn on one sequential ramp (ColorBrewer YlOrRd), 0 to 1.
export const RAMP = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
export const NO_IMPACT = "#90a4ae";

/** The ramp's colour for v in 0..1 (interpolated between its stops). */
export function ramp(v) {
  const x = Math.max(0, Math.min(1, Number(v) || 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const t = x - i;
  const [a, b] = [RAMP[i], RAMP[i + 1]].map((h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)));
  return `#${a.map((c, k) => Math.round(c + (b[k] - c) * t).toString(16).padStart(2, "0")).join("")}`;
}

/** A criticality layer: each element coloured and sized by its impact (0..1); its bounds. */
export function drawImpact(view, features) {
  view.layers.impact.clearLayers();
  view.impactLayers = new Map();
  let bounds = null;
  const ordered = [...features].sort((a, b) => a.properties.impact - b.properties.impact);
  for (const f of ordered) {
    const p = f.properties;
    const hit = p.impact > 0;
    const colour = hit ? ramp(p.impact) : NO_IMPACT;
    const opts = { renderer: view.renderers.impact, interactive: false };
    let layer;
    if (f.geometry.type === "LineString") {
      layer = L.polyline(latlngs(f), { ...opts, color: colour, weight: hit ? 2.5 + 6 * p.impact : 1, opacity: hit ? 0.95 : 0.6 });
    } else {
      const [lon, lat] = f.geometry.coordinates;
      layer = L.circleMarker([lat, lon], { ...opts, radius: hit ? 4 + 8 * p.impact : 2.5, color: "#37474f", weight: 1, fillColor: colour, fillOpacity: 0.95 });
    }
    layer.addTo(view.layers.impact);
    view.impactLayers.set(p.element, layer);
    if (hit) {
      const b = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
      bounds = bounds ? bounds.extend(b) : b;
    }
  }
  return bounds;
}

/** Fill network countries by a value in 0..1 (a Map code -> value); others are left plain. */
export function fillCountries(view, values) {
  for (const [code, layer] of view.countryLayers) {
    const v = values.get(code);
    layer.setStyle({ fillColor: v === undefined || v === null ? "#fbfaf5" : v > 0 ? ramp(v) : "#e3e7ec" });
  }
}
