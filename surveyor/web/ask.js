// Ask and chat: the answer streams in as verified sentences; follow-ups send the earlier answers as history.

import { ApiError, readEvents, request } from "./api.js";
import { citedText, el, paperLine, verdict, warnings } from "./cite.js";

const MAX_HISTORY = 20; // what POST /v1/ask accepts
const ABSTAINED = "The corpus does not cover this question.";

const history = []; // the answers of this conversation, as the server returned them
let turns = 0;
let controller = null; // the ask under way

const $ = (id) => document.getElementById(id);

export function setUpAsk() {
  const form = $("ask-form");
  const question = $("question");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = question.value.trim();
    if (!text || controller) return;
    question.value = "";
    ask(text);
  });
  question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  $("stop-button").addEventListener("click", () => controller?.abort());
  $("new-button").addEventListener("click", () => {
    controller?.abort();
    history.length = 0;
    $("conversation").replaceChildren();
    $("sources-list").replaceChildren();
    $("sources-note").textContent = "The papers retrieved for the latest question appear here.";
    status("New conversation.");
    question.focus();
  });
}

function status(text) {
  $("ask-status").textContent = text;
}

function busy(on) {
  $("ask-button").disabled = on;
  $("stop-button").hidden = !on;
  $("new-button").disabled = on;
}

async function ask(question) {
  const turn = newTurn(question);
  controller = new AbortController();
  busy(true);
  status("Searching the papers…");
  let finished = false;
  try {
    const past = history.slice(-MAX_HISTORY).map(({ question, answer, citations }) => ({
      question, answer, citations: citations.map(({ paper_id }) => ({ paper_id })),
    }));
    const response = await request("v1/ask?stream=true", { json: { question, history: past }, signal: controller.signal });
    await readEvents(response, (name, data) => {
      if (name === "sources") showSources(data);
      else if (name === "sentence") addSentence(turn, data);
      else if (name === "answer") {
        finish(turn, data);
        finished = true;
      } else if (name === "error") throw new ApiError(data.error);
    });
    if (!finished) throw new ApiError("The answer stopped before it was complete.");
  } catch (error) {
    if (error.name === "AbortError") {
      turn.answer.append(el("p", { class: "stopped", text: "Stopped." }));
      status("Stopped.");
    } else {
      turn.answer.append(el("p", { class: "error", role: "alert", text: error.message }));
      status("");
    }
    turn.answer.removeAttribute("aria-busy");
  } finally {
    controller = null;
    busy(false);
  }
}

function newTurn(question) {
  turns += 1;
  const id = `t${turns}`;
  const answer = el("div", { class: "answer", "aria-busy": "true", "aria-live": "polite" });
  const prose = el("p", { class: "prose" });
  answer.append(prose);
  const item = el("li", { class: "turn", id },
    el("p", { class: "question" }, el("span", { class: "visually-hidden", text: "You asked: " }), question),
    answer);
  $("conversation").append(item);
  item.scrollIntoView({ block: "nearest" });
  return { id, item, answer, prose, sentences: 0 };
}

function refHref(turn) {
  return (n) => `#${turn.id}-ref${n}`;
}

function addSentence(turn, sentence) {
  const byNumber = new Map(sentence.citations.map((c) => [c.n, { citation: c }]));
  if (turn.sentences) turn.prose.append(" ");
  turn.prose.append(el("span", { class: "sentence" }, citedText(sentence.text, (n) => byNumber.get(n), refHref(turn))));
  turn.sentences += 1;
  status("Answering…");
}

function finish(turn, answer) {
  turn.answer.removeAttribute("aria-busy");
  if (answer.abstained) {
    turn.prose.replaceChildren();
    turn.answer.classList.add("abstained");
    turn.prose.append(el("strong", { text: "Not covered. " }), answer.answer || ABSTAINED);
  } else if (!turn.sentences) {
    // The server sent no sentences (an older server): show the answer's text as a whole.
    const byNumber = new Map(answer.citations.map((c) => [c.n, { citation: c }]));
    turn.prose.append(citedText(answer.answer, (n) => byNumber.get(n), refHref(turn)));
  }
  if (answer.citations.length) turn.answer.append(references(turn, answer));
  if (answer.warnings.length) turn.answer.append(warnings(answer.warnings));
  history.push(answer);
  status(answer.abstained ? "The corpus does not cover this question." : "Answer complete.");
}

// Each reference with its verdict per citing sentence (a paper can support one sentence and not another).
function references(turn, answer) {
  const list = el("ol", { class: "references" });
  for (const citation of answer.citations) {
    const uses = answer.sentences.flatMap((s) => s.citations.filter((c) => c.n === citation.n));
    const shown = uses.length ? uses : [citation];
    const item = el("li", { id: `${turn.id}-ref${citation.n}`, value: citation.n, tabindex: "-1" },
      paperLine(citation), el("a", { href: `#papers/${encodeURIComponent(citation.paper_id)}`, text: "Open the paper" }));
    for (const use of shown) item.append(verdict(use), el("blockquote", { text: use.quote }));
    list.append(item);
  }
  return el("details", { class: "turn-references", open: true }, el("summary", { text: `References (${answer.citations.length})` }), list);
}

function showSources({ standalone, results }) {
  const note = $("sources-note");
  note.replaceChildren(results.length ? "Retrieved for " : "Nothing retrieved for ", el("q", { text: standalone }));
  $("sources-list").replaceChildren(...results.map((hit) =>
    el("li", {},
      el("a", { href: `#papers/${encodeURIComponent(hit.paper_id)}`, text: hit.title }),
      el("p", { class: "meta" }, el("code", { text: hit.key }), ` · score ${hit.score.toFixed(2)}`),
      el("p", { class: "snippet", text: hit.snippet }))));
}
