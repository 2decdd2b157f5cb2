"""`surveyor eval CONVERSATIONS.jsonl`: does a follow-up get answered from the right paper?

A line is `{"turns": ["first question", "follow-up", ...], "expect": ["title, id or key"], "contains":
["..."]}`. The turns are asked in order as one chat; the last turn is scored: whether an expected paper
is among its supported citations, and how many of the `contains` strings its answer holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from surveyor.answer.chain import Turn
from surveyor.app import Surveyor, check_query
from surveyor.errors import SurveyorError
from surveyor.evaluate import contains_rate, json_object, read_text

FIELDS = ("turns", "expect", "contains")


@dataclass(frozen=True)
class Conversation:
    line: int
    turns: tuple[str, ...]
    expect: tuple[str, ...]
    contains: tuple[str, ...]


@dataclass
class ConversationResult:
    line: int
    turns: list[str]
    standalone: str  # the last turn as it was searched
    cited: list[str]  # keys of the last answer's supported citations
    hit: bool  # an expected paper is among them
    contains_rate: float | None


@dataclass
class ConversationReport:
    conversations: list[ConversationResult]

    @property
    def hits(self) -> int:
        return sum(r.hit for r in self.conversations)

    def contains_rate(self) -> float | None:
        rates = [r.contains_rate for r in self.conversations if r.contains_rate is not None]
        return sum(rates) / len(rates) if rates else None

    def as_dict(self) -> dict[str, object]:
        summary = {"conversations": len(self.conversations), "follow_up_hits": self.hits,
                   "follow_up_hit_rate": self.hits / len(self.conversations), "contains": self.contains_rate()}
        return {"summary": summary, "conversations": [asdict(r) for r in self.conversations]}

    def lines(self) -> list[str]:
        rate = self.contains_rate()
        lines = [
            f"conversations: {len(self.conversations)}",
            f"last turn answered from an expected paper: {self.hits}/{len(self.conversations)}",
            f"contains: {'-' if rate is None else f'{rate:.2f}'}",
        ]
        return lines + [
            f"missed line {r.line}: {r.turns[-1]!r} searched as {r.standalone!r}, cited {', '.join(r.cited) or 'nothing'}"
            for r in self.conversations
            if not r.hit
        ]


def evaluate_conversations(surveyor: Surveyor, path: Path, k: int = 5) -> ConversationReport:
    conversations = read_conversations(path)
    expected = [_expected(surveyor, c, path) for c in conversations]
    surveyor.load()
    return ConversationReport([_score(surveyor, c, ids, k) for c, ids in zip(conversations, expected)])


def read_conversations(path: Path) -> list[Conversation]:
    text = read_text(path)
    found = [_conversation(f"{path}:{n}", n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not found:
        raise SurveyorError(f'{path}: no conversations; write one JSON object per line, like {{"turns": [...]}}')
    return found


def _conversation(where: str, line: int, text: str) -> Conversation:
    row = json_object(where, text, FIELDS, '{"turns": ["...", "..."], "expect": [...]}')
    turns = row.get("turns")
    if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
        raise SurveyorError(f'{where}: "turns" must be a list of non-empty questions')
    try:
        questions = tuple(check_query(t) for t in turns)
    except SurveyorError as exc:
        raise SurveyorError(f'{where}: "turns": {exc}') from exc
    lists = []
    for name in ("expect", "contains"):
        value = row.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise SurveyorError(f'{where}: "{name}" must be a list of non-empty strings')
        lists.append(tuple(value))
    return Conversation(line, questions, lists[0], lists[1])


def _expected(surveyor: Surveyor, conversation: Conversation, path: Path) -> frozenset[str]:
    ids = set()
    for name in conversation.expect:
        match = [p.paper_id for p in surveyor.papers() if name in (p.paper_id, p.key) or name.casefold() == p.title.casefold()]
        if not match:
            raise SurveyorError(f'{path}:{conversation.line}: "expect" names no paper in the store: {name!r}')
        ids.update(match)
    return frozenset(ids)


def _score(surveyor: Surveyor, conversation: Conversation, expected: frozenset[str], k: int) -> ConversationResult:
    history: list[Turn] = []
    for question in conversation.turns:
        history.append(Turn(question, surveyor.ask(question, k, history)))
    last = history[-1].answer
    supported = [c.paper for c in last.citations if c.supported]
    return ConversationResult(
        conversation.line,
        list(conversation.turns),
        last.standalone,
        [p.key for p in supported],
        bool(expected & {p.paper_id for p in supported}),
        contains_rate(last.text, conversation.contains),
    )
