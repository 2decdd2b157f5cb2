// The page: three views behind the hash (#ask, #draft, #papers, #papers/<id>), set up once.

import { ensureToken } from "./api.js";
import { setUpAsk } from "./ask.js";
import { enableCitationCards } from "./cite.js";
import { setUpDraft } from "./draft.js";
import { closePaper, openPaper, setUpPapers } from "./papers.js";

const VIEWS = ["ask", "draft", "papers"];

function route(moveFocus) {
  const [name, ...rest] = location.hash.slice(1).split("/");
  if (!VIEWS.includes(name)) {
    // A jump to a reference (#t1-ref2) stays in its view; no hash at all is the Ask view.
    if (!location.hash) show("ask", false);
    return;
  }
  show(name, moveFocus && !rest.length);
  if (name === "papers") {
    if (rest.length) openPaper(decodeURIComponent(rest.join("/")));
    else closePaper();
  }
}

function show(name, moveFocus) {
  for (const view of VIEWS) document.getElementById(`view-${view}`).hidden = view !== name;
  for (const link of document.querySelectorAll("nav a[data-view]")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · surveyor`;
  if (moveFocus) document.getElementById(`${name}-title`).focus();
}

async function showCount() {
  try {
    const health = await (await fetch("healthz")).json();
    document.getElementById("count").textContent = `${health.papers} papers`;
  } catch {
    // the count is a nicety; the views report an unreachable server themselves
  }
}

setUpAsk();
setUpDraft();
setUpPapers();
enableCitationCards();
window.addEventListener("hashchange", () => route(true));
route(false);
showCount();
ensureToken();
