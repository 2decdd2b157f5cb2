"""`surveyor chat`: the conversation at a prompt (or as JSON lines for scripts), saved after every turn."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import typer

from surveyor.answer.chain import Turn
from surveyor.answer.citations import render_sentences
from surveyor.app import Surveyor
from surveyor.chats import Chat
from surveyor.errors import SurveyorError
from surveyor.records import Answer, AnswerEvent, AnswerSentence, AskEvent, SentenceEvent

HELP = (
    "Ask about the papers in the store; follow-ups keep the subject. /papers lists what was cited, "
    "/sources what the last answer drew on, /save FILE.md writes the transcript, /draft writes a "
    "related-work draft from the cited papers, /reset starts over, /exit quits (the chat is saved as you go)."
)


class ChatSession:
    """One conversation: asks with the history, keeps and saves the chat."""

    def __init__(self, surveyor: Surveyor, k: int, resume: str | None = None) -> None:
        self.surveyor = surveyor
        self.k = k
        self.chat: Chat = surveyor.resume(None if resume == "last" else resume) if resume else surveyor.chats.new()

    def ask(self, question: str, show: Callable[[AnswerSentence], None] | None = None) -> Answer:
        events = self.surveyor.ask_events(question, self.k, self.chat.turns)
        answer = collect_answer(events, show)
        self.chat.turns.append(Turn(question, answer))
        self.surveyor.chats.save(self.chat)
        return answer

    def interactive(self) -> None:
        typer.echo(HELP)
        if self.chat.turns:
            typer.echo(f"(resumed chat {self.chat.chat_id}: {len(self.chat.turns)} turns, on {self.chat.title!r})")
        while True:
            try:
                line = input("> ").strip()
            except (EOFError, KeyboardInterrupt):
                typer.echo()
                return
            if line in ("/exit", "/quit"):
                return
            if line:
                self._line(line)

    def json_lines(self, lines: Iterable[str]) -> None:
        """One question per line in, one `ask --json` object (with the standalone question) per line out."""
        for line in lines:
            if not line.strip():
                continue
            try:
                answer = self.ask(line.strip())
                typer.echo(json.dumps(answer.as_dict() | {"chat": self.chat.chat_id}, ensure_ascii=False))
            except SurveyorError as exc:
                typer.echo(json.dumps({"question": line.strip(), "error": str(exc)}, ensure_ascii=False))
            sys.stdout.flush()

    def _line(self, line: str) -> None:
        command, _, argument = line.partition(" ")
        try:
            if command == "/reset":
                self.chat = self.surveyor.chats.new()
                typer.echo("(a new chat)")
            elif command == "/sources":
                self._sources()
            elif command == "/papers":
                self._papers()
            elif command == "/save":
                self._save(argument.strip())
            elif command == "/draft":
                self._draft(argument.strip())
            elif command.startswith("/"):
                typer.echo(HELP)
            else:
                answer = self.ask(line, sentence_printer())
                print_references(answer)
        except SurveyorError as exc:  # one failed turn (say, an unreachable LLM) does not end the chat
            typer.echo(f"error: {exc}", err=True)

    def _sources(self) -> None:
        hits = self.chat.turns[-1].answer.sources if self.chat.turns else []
        for rank, hit in enumerate(hits, 1):
            typer.echo(f"{rank}. {hit.paper.title}  [{hit.paper.key}]  score {hit.score:.2f}")

    def _papers(self) -> None:
        papers = self.chat.cited()
        if not papers:
            typer.echo("(nothing cited yet)")
        for n, paper in enumerate(papers, 1):
            typer.echo(f"{n}. {paper.title} [{paper.key}]")

    def _save(self, name: str) -> None:
        if not name:
            raise SurveyorError("/save needs a file name, like /save chat.md")
        path = Path(name).expanduser()
        try:
            path.write_text(self.chat.transcript(), encoding="utf-8")
        except OSError as exc:
            raise SurveyorError(f"{path}: cannot write the transcript ({exc.strerror})") from exc
        typer.echo(f"(saved the transcript to {path})")

    def _draft(self, name: str) -> None:
        from surveyor.draft.render import Renderer

        draft = self.surveyor.draft_from_chat(self.chat)
        text = Renderer().render(draft, "markdown")
        if name:
            Path(name).expanduser().write_text(text, encoding="utf-8")
            typer.echo(f"(wrote a draft on {len(draft.references)} papers to {name})")
        else:
            typer.echo(text)


def collect_answer(events: Iterator[AskEvent], show: Callable[[AnswerSentence], None] | None = None) -> Answer:
    """The final answer of an ask, showing each verified sentence on the way when `show` is given."""
    for event in events:
        if isinstance(event, SentenceEvent) and show is not None:
            show(event.sentence)
        elif isinstance(event, AnswerEvent):
            if show is not None:
                typer.echo("" if event.answer.sentences else event.answer.text)
            return event.answer
    raise AssertionError("the answer chain ended without an answer")


def sentence_printer() -> Callable[[AnswerSentence], None]:
    """Prints each verified sentence as it comes (flushed, also into a pipe), laid out as the answer will be."""
    shown: list[AnswerSentence] = []

    def show(sentence: AnswerSentence) -> None:
        before = render_sentences(shown)
        shown.append(sentence)
        typer.echo(render_sentences(shown)[len(before) :], nl=False)
        sys.stdout.flush()

    return show


def print_references(answer: Answer) -> None:
    if answer.citations:
        typer.echo("\nReferences")
    for citation in answer.citations:
        flag = "" if citation.supported else f"  (NOT SUPPORTED: {citation.reason})"
        typer.echo(f"[{citation.n}] {citation.paper.title} [{citation.paper.key}]{flag}")
        typer.echo(f'    "{citation.quote}"')
    for warning in answer.warnings[:5]:
        typer.echo(f"warning: {warning}", err=True)
    if len(answer.warnings) > 5:
        typer.echo(f"warning: ... and {len(answer.warnings) - 5} more (--json lists them all)", err=True)
