"""Cutting a model's streamed reply into whole sentences as soon as each one is complete.

Models write "... methods. [1] Next ..." as often as "... methods [1]. Next ...", and lists and bold
as often as prose: a marker after the full stop is moved before it, list bullets and emphasis go,
and a line break ends a sentence. A sentence is complete once the next one has begun with something
that is not a marker (it may still be the previous sentence's citation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from surveyor.text.sentences import sentence_spans

_MARKERS = r"(?:\s*\[[\d,;\s\-–]+\])+"
# ". [1] Next" -> " [1]. Next"; at the very end only once the reply is over.
_MARKER_AFTER_STOP = re.compile(rf"([.!?])({_MARKERS})(?=\s+[A-Z\"'(]|\s*\n)")
_MARKER_AFTER_STOP_AT_END = re.compile(rf"([.!?])({_MARKERS})\s*$")
_SOURCE_WORD = re.compile(r"\[(?:source|src|ref|doc)\s*#?\s*(\d+)\]", re.IGNORECASE)
_LIST_ITEM = re.compile(r"(?m)^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_EMPHASIS = re.compile(r"\*\*|__|^#{1,6}\s+", re.MULTILINE)
_LABEL = re.compile(r"^\s*(?:answer|response)\s*:\s*", re.MULTILINE | re.IGNORECASE)
# The prompt's scaffolding echoed back (small models copy their prompt): the question line, a source's
# 'Source [n] Title' line, chat-template tokens. Not sentences of an answer.
_SCAFFOLD = re.compile(r"^\s*(?:Question:.*|Sources? \(data.*|Source \[\d+\] [^.!]*)$", re.MULTILINE)
_TEMPLATE_TOKEN = re.compile(r"\[/?INST\]|<\/?(?:start|end)_of_turn>")


def tidy(text: str, final: bool = False) -> str:
    """The reply in plain prose with every marker before its sentence's full stop."""
    text = _SCAFFOLD.sub("", _TEMPLATE_TOKEN.sub("", text))
    text = _LABEL.sub("", _EMPHASIS.sub("", _LIST_ITEM.sub("", _SOURCE_WORD.sub(r"[\1]", text))))
    text = _MARKER_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    if final:
        text = _MARKER_AFTER_STOP_AT_END.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    return text


@dataclass(frozen=True)
class Said:
    """A complete sentence of the reply; `item` numbers the list item it belongs to (None: prose)."""

    text: str
    item: int | None = None


class SentenceStream:
    """Feed text pieces, get back the sentences they complete; `close` returns the rest."""

    def __init__(self) -> None:
        self._line = ""  # the line being written, as sent
        self._released = 0  # its sentences already returned
        self._item: int | None = None  # its list item, if it is one
        self._items = 0

    def feed(self, piece: str) -> list[Said]:
        *done, self._line = (self._line + piece).split("\n")
        said = []
        for line in done:
            said += self._sentences(line, final=True)
        return said + self._sentences(self._line, final=False)

    def close(self) -> list[Said]:
        said = self._sentences(self._line, final=True)
        self._line = ""
        return said

    def _sentences(self, line: str, final: bool) -> list[Said]:
        if self._item is None and _LIST_ITEM.match(line):
            self._items += 1
            self._item = self._items
        text = tidy(line, final)
        spans = sentence_spans(text)
        if final:
            ready = len(spans)
        else:  # the last sentence is still being written, and the one before may yet receive a marker
            ready = len(spans) - (2 if len(spans) > 1 and text[spans[-1][0]] == "[" else 1)
        said = [Said(text[a:b], self._item) for a, b in spans[self._released : max(ready, 0)] if _worth_keeping(text[a:b])]
        self._released = max(self._released, ready)
        if final:
            self._released, self._item = 0, None
        return said


def _worth_keeping(sentence: str) -> bool:
    return any(c.isalpha() for c in sentence)
