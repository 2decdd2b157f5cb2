"""Saved conversations: each chat is one JSON file, written after every turn, so it can be listed,
resumed the next day, exported as a transcript with one reference list, or turned into a draft."""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from surveyor.answer.chain import Turn
from surveyor.answer.citations import MARKER, expand_marker
from surveyor.errors import NotFound, SurveyorError
from surveyor.records import Answer, AnswerSentence, Citation, Paper

# Finds a stored paper by id (a saved chat keeps ids, and takes titles and abstracts from the store).
PaperLookup = Callable[[str], Paper]


@dataclass
class Chat:
    """A conversation: its turns, in order; `chat_id` names its file."""

    chat_id: str
    created: str
    turns: list[Turn] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.turns[0].question if self.turns else "(empty)"

    def cited(self) -> list[Paper]:
        """Every paper a supported citation of the conversation points at, in order of first citation."""
        papers: dict[str, Paper] = {}
        for turn in self.turns:
            for citation in turn.answer.citations:
                if citation.supported:
                    papers.setdefault(citation.paper.paper_id, citation.paper)
        return list(papers.values())

    def transcript(self) -> str:
        """Markdown: each question and answer, markers renumbered into one reference list at the end."""
        papers = self.cited()
        number = {p.paper_id: n for n, p in enumerate(papers, 1)}
        lines = [f"# {self.title}", "", f"Chat {self.chat_id}, started {self.created[:16].replace('T', ' ')} UTC.", ""]
        for turn in self.turns:
            local = {c.n: number.get(c.paper.paper_id) for c in turn.answer.citations}
            text = MARKER.sub(lambda m: _renumbered(m, local), turn.answer.text)
            lines += [f"**Q:** {turn.question}", "", text, ""]
        if papers:
            lines += ["## References", ""]
            lines += [f"{n}. {p.title}" + (f" ({p.year})" if p.year else "") + f" [{p.key}]" for n, p in
                      enumerate(papers, 1)]
        return "\n".join(lines).rstrip() + "\n"


class ChatStore:
    """The chats of one store, as JSON files in a directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def new(self) -> Chat:
        now = datetime.now(timezone.utc)
        return Chat(f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}", now.isoformat(timespec="seconds"))

    def save(self, chat: Chat) -> Path:
        """Write the chat (atomically: an interrupted write leaves the previous version)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{chat.chat_id}.json"
        data = {"id": chat.chat_id, "created": chat.created, "turns": [_turn_json(t) for t in chat.turns]}
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
        return path

    def list(self) -> list[tuple[str, str, int, str]]:
        """(id, started, turns, first question) of every saved chat, newest first."""
        found = []
        for path in sorted(self.directory.glob("*.json"), reverse=True):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                turns = data["turns"]
                found.append((data["id"], data["created"], len(turns), turns[0]["question"] if turns else ""))
            except (OSError, ValueError, KeyError, TypeError, IndexError):
                continue  # not a chat file (or a broken one): listing the others matters more
        return found

    def load(self, chat_id: str | None, paper: PaperLookup) -> Chat:
        """A saved chat (the newest when `chat_id` is None); `paper` finds a cited paper by id."""
        if chat_id is None:
            chats = self.list()
            if not chats:
                raise NotFound(f"no saved chat in {self.directory}")
            chat_id = chats[0][0]
        if not re.fullmatch(r"[\w-]+", chat_id):
            raise SurveyorError(f"not a chat id: {chat_id!r} (see `surveyor chats`)")
        path = self.directory / f"{chat_id}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            turns = [_turn(t, paper) for t in data["turns"]]
            return Chat(data["id"], data["created"], turns)
        except FileNotFoundError:
            raise NotFound(f"no chat {chat_id!r} in {self.directory} (see `surveyor chats`)") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SurveyorError(f"{path}: not a saved chat ({exc})") from exc


def _turn_json(turn: Turn) -> dict[str, Any]:
    return turn.answer.as_dict() | {"question": turn.question}


def _turn(data: dict[str, Any], paper: PaperLookup) -> Turn:
    """A turn as saved (the `ask --json` shape and the question), its papers read back from the store."""
    citations = [_citation(c, paper) for c in data["citations"]]
    by_n = {c.n: c for c in citations}
    sentences = [
        AnswerSentence(s["text"], [by_n[c["n"]] for c in s["citations"] if c["n"] in by_n], s.get("item"))
        for s in data.get("sentences", [])
    ]
    restored = Answer(
        str(data["question"]), str(data["answer"]), bool(data["abstained"]), citations,
        list(data.get("warnings", [])), [], dict(data.get("usage", {})), sentences, str(data.get("standalone", "")),
    )
    return Turn(str(data["question"]), restored)


def _citation(data: dict[str, Any], paper: PaperLookup) -> Citation:
    reason = data.get("reason")
    return Citation(int(data["n"]), paper(str(data["paper_id"])), str(data.get("quote", "")), bool(data["supported"]),
                    float(data.get("score", 0.0)), str(reason) if reason is not None else None)


def _renumbered(match: re.Match[str], local: dict[int, int | None]) -> str:
    numbers = [local.get(n) for n in expand_marker(match.group(1))]
    return "".join(f"[{n}]" for n in dict.fromkeys(numbers) if n is not None)
