// Papers: search the store, open one paper (#papers/<id>) with its abstract and the files it came from.

import { getJSON } from "./api.js";
import { el } from "./cite.js";

const $ = (id) => document.getElementById(id);

export function setUpPapers() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = $("search").value.trim();
    if (query) search(query);
  });
}

function status(text, error = false) {
  const line = $("search-status");
  line.textContent = text;
  line.classList.toggle("error", error);
}

async function search(query) {
  status("Searching…");
  try {
    const { results } = await getJSON(`v1/search?${new URLSearchParams({ q: query, k: "20" })}`);
    $("results").replaceChildren(...results.map((hit) =>
      el("li", {},
        el("a", { href: `#papers/${encodeURIComponent(hit.paper_id)}`, text: hit.title }),
        el("p", { class: "meta" }, el("code", { text: hit.key }), ` · score ${hit.score.toFixed(2)}`),
        el("p", { class: "snippet", text: hit.snippet }))));
    status(results.length ? `${results.length} papers match.` : "No paper in the store matches this search.");
  } catch (error) {
    status(error.message, true);
  }
}

export async function openPaper(id) {
  const box = $("paper");
  box.hidden = false;
  box.setAttribute("aria-busy", "true");
  box.replaceChildren(el("p", { class: "muted", text: "Opening the paper…" }));
  try {
    const paper = await getJSON(`v1/papers/${encodeURIComponent(id)}`);
    box.replaceChildren(...paperView(paper));
  } catch (error) {
    box.replaceChildren(el("p", { class: "error", role: "alert", text: error.message }));
  } finally {
    box.removeAttribute("aria-busy");
  }
  const title = $("paper-title");
  if (title) title.focus({ preventScroll: false });
}

export function closePaper() {
  $("paper").hidden = true;
}

function paperView(paper) {
  const facts = el("dl", { class: "facts" });
  const fact = (name, ...value) => facts.append(el("dt", { text: name }), el("dd", {}, ...value));
  if (paper.authors.length) fact("Authors", paper.authors.join(", "));
  if (paper.year) fact("Year", String(paper.year));
  if (paper.venue) fact("Venue", paper.venue);
  fact("Key", el("code", { text: paper.key }));
  fact("ID", el("code", { text: paper.paper_id }));
  if (paper.doi) fact("DOI", paper.doi);
  if (paper.arxiv_id) fact("arXiv", paper.arxiv_id);
  // A link to elsewhere is followed only when clicked; the page itself never loads anything from it.
  // Only http(s) becomes a link: a URL from an ingested file is data, never script.
  if (paper.url) fact("URL", /^https?:\/\//i.test(paper.url)
    ? el("a", { href: paper.url, rel: "noopener noreferrer", text: paper.url })
    : paper.url);
  return [
    el("h2", { id: "paper-title", tabindex: "-1", text: paper.title }),
    facts,
    el("h3", { text: "Abstract" }),
    el("p", { class: "abstract", text: paper.abstract }),
    el("h3", { text: "Source files" }),
    paper.sources.length
      ? el("ul", { class: "source-files" }, ...paper.sources.map((s) => el("li", {}, el("code", { text: s }))))
      : el("p", { class: "muted", text: "none recorded" }),
  ];
}
