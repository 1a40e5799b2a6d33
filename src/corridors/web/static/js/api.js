// The page's only way out: JSON requests to this app's own /api (same origin).

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

/** GET /api/<path>?params as JSON; empty params are left out. */
export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) v.forEach((x) => query.append(k, x));
    else query.append(k, v);
  }
  const qs = query.toString();
  const response = await fetch(`/api/${path}${qs ? `?${qs}` : ""}`, {
    headers: { Accept: "application/json" },
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}
