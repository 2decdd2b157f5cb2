// Text with [n] markers as links, and the card that shows what a citation stands on: opened by hover,
// keyboard focus or a tap; closed by leaving, blurring or Escape.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const details = new WeakMap(); // citation link -> {citation} (an answer's) or {reference} (a draft's)

// `text` with each [n] that `lookup(n)` knows as a link to `href(n)`; lookup returns {citation} or {reference}.
export function citedText(text, lookup, href) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(/\[(\d+)\]/g)) {
    const n = Number(match[1]);
    const detail = lookup(n);
    if (!detail) continue;
    fragment.append(text.slice(last, match.index));
    const unsupported = detail.citation && !detail.citation.supported;
    const link = el("a", { class: unsupported ? "cite unsupported" : "cite", href: href(n) }, `[${n}]`);
    if (unsupported) link.append(el("span", { class: "visually-hidden", text: " (not supported)" }));
    details.set(link, detail);
    fragment.append(link);
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

export function verdict(citation) {
  if (citation.supported) return el("p", { class: "verdict supported" }, el("span", { "aria-hidden": "true", text: "✓ " }), "Supported by the abstract");
  const why = citation.reason ? `: ${citation.reason}` : "";
  return el("p", { class: "verdict unsupported" }, el("span", { "aria-hidden": "true", text: "✗ " }), `Not supported${why}`);
}

export function warnings(messages) {
  return el("div", { class: "warnings" },
    el("p", { class: "warnings-title", text: "Warnings" }),
    el("ul", {}, ...messages.map((m) => el("li", { text: m }))));
}

export function paperLine(paper) {
  const parts = [el("cite", { text: paper.title })];
  if (paper.year) parts.push(` (${paper.year})`);
  parts.push(" · ", el("code", { text: paper.key }));
  return el("p", { class: "paper-line" }, ...parts);
}

function cardContent({ citation, reference }) {
  if (citation) {
    return [verdict(citation), el("blockquote", { text: citation.quote || "(no quote)" }), paperLine(citation)];
  }
  const authors = reference.authors?.length
    ? reference.authors.slice(0, 3).join(", ") + (reference.authors.length > 3 ? " et al." : "")
    : null;
  return [paperLine(reference), authors && el("p", { class: "muted", text: authors })];
}

const card = () => document.getElementById("citecard");
let owner = null; // the link whose card is open
let hideTimer = null;

function show(link) {
  clearTimeout(hideTimer);
  if (owner === link) return;
  if (owner) owner.removeAttribute("aria-describedby");
  const box = card();
  box.replaceChildren(...cardContent(details.get(link)).filter(Boolean));
  box.hidden = false;
  owner = link;
  link.setAttribute("aria-describedby", box.id);
  place(box, link);
}

function hide() {
  clearTimeout(hideTimer);
  if (!owner) return;
  owner.removeAttribute("aria-describedby");
  owner = null;
  card().hidden = true;
}

function hideSoon() {
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hide, 150); // time to move the pointer onto the card and read or select from it
}

// Below the link, or above it when the viewport has no room below; always inside the viewport's width.
function place(box, link) {
  const at = link.getBoundingClientRect();
  box.style.left = "0px";
  box.style.top = "0px";
  const width = box.offsetWidth;
  const height = box.offsetHeight;
  const margin = 8;
  const left = Math.max(margin, Math.min(at.left, document.documentElement.clientWidth - width - margin));
  const below = at.bottom + 6;
  const top = below + height > window.innerHeight && at.top - height - 6 > 0 ? at.top - height - 6 : below;
  box.style.left = `${left + window.scrollX}px`;
  box.style.top = `${top + window.scrollY}px`;
}

const citeOf = (target) => (target instanceof Element ? target.closest("a.cite") : null);

export function enableCitationCards() {
  let tapped = null; // a link touched while its card was closed: the tap opens the card, the next one follows

  document.addEventListener("mouseover", (event) => {
    const link = citeOf(event.target);
    if (link && details.has(link)) show(link);
    else if (owner && card().contains(event.target)) clearTimeout(hideTimer);
  });
  document.addEventListener("mouseout", (event) => {
    if (!owner) return;
    const from = citeOf(event.target) || (card().contains(event.target) ? card() : null);
    const to = event.relatedTarget;
    if (from && !(to instanceof Node && (owner.contains(to) || card().contains(to)))) {
      if (document.activeElement !== owner) hideSoon();
    }
  });
  document.addEventListener("focusin", (event) => {
    const link = citeOf(event.target);
    if (link && details.has(link)) show(link);
    else hide();
  });
  document.addEventListener("focusout", (event) => {
    if (citeOf(event.target) === owner) hideSoon();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && owner) {
      hide();
      event.preventDefault();
    }
  });
  document.addEventListener("pointerdown", (event) => {
    const link = citeOf(event.target);
    tapped = event.pointerType !== "mouse" && link && owner !== link ? link : null;
    if (!link && owner && !card().contains(event.target)) hide();
  });
  document.addEventListener("click", (event) => {
    const link = citeOf(event.target);
    if (link && link === tapped && details.has(link)) {
      event.preventDefault();
      show(link);
    }
    tapped = null;
  });
  window.addEventListener("resize", () => owner && place(card(), owner));
}
