// Draft: a topic or an abstract -> the themed related-work draft, its references, warnings and the papers
// it left out; downloads in each format the API renders (Pandoc Markdown and LaTeX with their .bib).

import { getJSON } from "./api.js";
import { citedText, el, warnings } from "./cite.js";

const FILES = {
  markdown: { text: ["related-work.md", "text/markdown"] },
  pandoc: { text: ["related-work-pandoc.md", "text/markdown"], bib: ["references.bib", "application/x-bibtex"] },
  latex: { text: ["related-work.tex", "application/x-tex"], bib: ["references.bib", "application/x-bibtex"] },
  json: { text: ["related-work.json", "application/json"] },
};

let asked = null; // the body of the draft on the page
let rendered = {}; // format -> the API's answer for `asked` in that format

const $ = (id) => document.getElementById(id);

export function setUpDraft() {
  $("draft-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = {
      topic: $("topic").value.trim(),
      format: "json",
      max_papers: Number($("max-papers").value) || 40,
    };
    if ($("sections").value) body.sections = Number($("sections").value);
    if (body.topic) draft(body);
  });
  for (const button of document.querySelectorAll("[data-download]")) {
    button.addEventListener("click", () => download(button.dataset.download, button.dataset.file, button));
  }
}

function status(text, error = false) {
  const line = $("draft-status");
  line.textContent = text;
  line.classList.toggle("error", error);
}

async function draft(body) {
  const button = $("draft-button");
  button.disabled = true;
  status("Drafting…");
  try {
    const result = await getJSON("v1/draft", { json: body });
    asked = body;
    rendered = { json: result };
    show(result);
    const cited = result.references.length;
    const themes = result.sections.length;
    status(`Drafted ${themes} theme${themes === 1 ? "" : "s"} citing ${cited} paper${cited === 1 ? "" : "s"}.`);
  } catch (error) {
    status(error.message, true);
  } finally {
    button.disabled = false;
  }
}

function show(result) {
  const lookup = (n) => (result.references[n - 1] ? { reference: result.references[n - 1] } : null);
  const href = (n) => `#draft-ref${n}`;
  $("draft-text").replaceChildren(...result.sections.flatMap((section) => [
    el("h2", { text: section.title }),
    ...section.paragraphs.map((p) => el("p", {}, citedText(p.text, lookup, href))),
  ]));
  $("draft-references").replaceChildren(...result.references.map((ref) =>
    el("li", { id: `draft-ref${ref.n}`, value: ref.n, tabindex: "-1" },
      el("a", { href: `#papers/${encodeURIComponent(ref.paper_id)}` }, el("cite", { text: ref.title })),
      ref.year ? ` (${ref.year})` : "",
      ref.authors?.length ? `, ${ref.authors.join(", ")}` : "",
      " · ", el("code", { text: ref.key }))));
  const notes = [];
  if (result.warnings.length) notes.push(warnings(result.warnings));
  if (result.coverage) notes.push(coverage(result.coverage));
  $("draft-notes").replaceChildren(...notes);
  $("draft-result").hidden = false;
}

// How much of what was retrieved the draft cites; the papers it left out by title; any other coverage
// the server reports (a list of papers or of {paper, reason}) as a list of its own.
function coverage(report) {
  const { retrieved, cited, left_out: leftOut = [], ...more } = report;
  const box = el("section", { class: "coverage", "aria-labelledby": "coverage-title" },
    el("h2", { id: "coverage-title", text: "Coverage" }),
    el("p", { text: `${cited} of ${retrieved} retrieved papers are cited; ${leftOut.length} left out.` }));
  if (leftOut.length) box.append(paperList("Left out", leftOut));
  for (const [name, value] of Object.entries(more)) {
    const label = name.replace(/[_-]/g, " ");
    if (Array.isArray(value)) box.append(paperList(label[0].toUpperCase() + label.slice(1), value));
    else box.append(el("p", { text: `${label}: ${typeof value === "object" ? JSON.stringify(value) : value}` }));
  }
  return box;
}

function paperList(title, entries) {
  const list = el("ul", {});
  for (const entry of entries) {
    const id = typeof entry === "string" ? entry : entry?.paper_id;
    const reason = typeof entry === "object" && entry ? entry.reason : null;
    const name = el("a", { href: `#papers/${encodeURIComponent(id)}`, text: entry?.title || id });
    list.append(el("li", {}, name, reason ? `: ${reason}` : ""));
    if (id && !entry?.title) fillTitle(name, id);
  }
  return el("details", { open: entries.length <= 10 }, el("summary", { text: `${title} (${entries.length})` }), list);
}

async function fillTitle(link, id) {
  try {
    link.textContent = (await getJSON(`v1/papers/${encodeURIComponent(id)}`)).title;
  } catch {
    // the id stays as the link's text
  }
}

// One click, one file: the format is fetched once per draft (its text and its .bib come from one answer,
// so the keys always match), then saved.
async function download(format, file, button) {
  if (!asked) return;
  const label = [...button.childNodes];
  try {
    if (!rendered[format]) {
      button.disabled = true;
      button.textContent = "preparing…";
      rendered[format] = await getJSON("v1/draft", { json: { ...asked, format } });
    }
    const result = rendered[format];
    const content = format === "json" ? JSON.stringify(result, null, 2) + "\n" : result[file];
    const [name, type] = FILES[format][file];
    save(name, content, type);
  } catch (error) {
    status(error.message, true);
  } finally {
    button.disabled = false;
    button.replaceChildren(...label);
  }
}

function save(name, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type: `${type};charset=utf-8` }));
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
