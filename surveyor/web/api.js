// Talking to the surveyor API on this origin: the bearer token (asked once, kept for the tab), JSON errors
// as one-line messages, and server-sent events read from a POST (EventSource can only GET).

const TOKEN_KEY = "surveyor-token";

export class ApiError extends Error {}

export function tokenRequired() {
  return document.querySelector('meta[name="surveyor-token"]')?.content === "required";
}

function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

let asking = null; // one token dialog at a time, however many requests wait for it

// Shows the token dialog; resolves to the token, or null when the user cancels.
export function askToken(message) {
  if (asking) return asking;
  const dialog = document.getElementById("token-dialog");
  const form = document.getElementById("token-form");
  const input = document.getElementById("token");
  const note = document.getElementById("token-message");
  if (message) note.textContent = message;
  input.value = "";
  asking = new Promise((resolve) => {
    const finish = (token) => {
      form.removeEventListener("submit", submit);
      dialog.removeEventListener("cancel", cancel);
      cancelButton.removeEventListener("click", cancel);
      if (dialog.open) dialog.close();
      asking = null;
      resolve(token);
    };
    const submit = (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      finish(token);
    };
    const cancel = (event) => {
      event.preventDefault();
      finish(null);
    };
    const cancelButton = document.getElementById("token-cancel");
    form.addEventListener("submit", submit);
    dialog.addEventListener("cancel", cancel);
    cancelButton.addEventListener("click", cancel);
    dialog.showModal();
    input.focus();
  });
  return asking;
}

// Asks for the token when the server wants one and the tab has none, and checks it against a cheap guarded
// route (the OpenAPI schema: 200 with a good token, 401 with a wrong one).
export async function ensureToken() {
  if (!tokenRequired()) return;
  let message;
  for (;;) {
    if (!storedToken() && (await askToken(message)) === null) return;
    const response = await fetch("openapi.json", { headers: authHeaders() });
    if (response.status !== 401) return;
    sessionStorage.removeItem(TOKEN_KEY);
    message = "The server did not accept that token. Try again.";
  }
}

function authHeaders() {
  const token = storedToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

// fetch() with the token; a 401 asks for the token again and retries. Resolves to an ok Response, or
// throws ApiError with the server's message (or an AbortError when `signal` aborts).
export async function request(path, { json, signal } = {}) {
  for (;;) {
    const init = { headers: authHeaders(), signal };
    if (json !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new ApiError("The surveyor server cannot be reached: is `surveyor serve` still running?");
    }
    if (response.ok) return response;
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      const token = await askToken("The server asks for its access token (again, or a different one).");
      if (token === null) throw new ApiError("This server needs its access token.");
      continue;
    }
    throw new ApiError(await errorMessage(response));
  }
}

export async function getJSON(path, options) {
  return (await request(path, options)).json();
}

async function errorMessage(response) {
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = await response.json();
    if (body && typeof body.error === "string") message = body.error;
  } catch {
    // not JSON: keep the status line
  }
  const retry = response.headers.get("Retry-After");
  return retry ? `${message} (retry in ${retry} s)` : message;
}

// Reads a server-sent event stream, calling on(name, data) with each event's JSON data as it arrives.
export async function readEvents(response, on) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) on(event.name, event.data);
      }
    }
  } finally {
    reader.cancel().catch(() => {}); // a handler that threw leaves no connection open
  }
}

function parseEvent(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) name = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (!data.length) return null;
  return { name, data: JSON.parse(data.join("\n")) };
}
