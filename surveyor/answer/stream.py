"""Cutting a model's streamed reply into whole sentences as soon as each one is complete.

Models write "... methods. [1] Next ..." as often as "... methods [1]. Next ...", and lists and bold
as often as prose: a marker after the full stop is moved before it, list bullets and emphasis go,
and a line break ends a sentence. A sentence is complete once the next one has begun with something
that is not a marker (it may still be the previous sentence's citation).
"""

from __future__ import annotations

import re

from surveyor.text.sentences import sentence_spans

_MARKERS = r"(?:\s*\[[\d,;\s\-–]+\])+"
# ". [1] Next" -> " [1]. Next"; at the very end only once the reply is over.
_MARKER_AFTER_STOP = re.compile(rf"([.!?])({_MARKERS})(?=\s+[A-Z\"'(]|\s*\n)")
_MARKER_AFTER_STOP_AT_END = re.compile(rf"([.!?])({_MARKERS})\s*$")
_SOURCE_WORD = re.compile(r"\[(?:source|src|ref|doc)\s*#?\s*(\d+)\]", re.IGNORECASE)
_LIST_ITEM = re.compile(r"(?m)^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_EMPHASIS = re.compile(r"\*\*|__|^#{1,6}\s+|^(?:answer|response)\s*:\s*", re.MULTILINE | re.IGNORECASE)


def tidy(text: str, final: bool = False) -> str:
    """The reply in plain prose with every marker before its sentence's full stop."""
    text = _EMPHASIS.sub("", _LIST_ITEM.sub("", _SOURCE_WORD.sub(r"[\1]", text)))
    text = _MARKER_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    if final:
        text = _MARKER_AFTER_STOP_AT_END.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    return text


class SentenceStream:
    """Feed text pieces, get back the sentences they complete; `close` returns the rest."""

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, piece: str) -> list[str]:
        *lines, current = tidy(self._pending + piece).split("\n")
        done = [s for line in lines for s in _sentences(line)]
        spans = sentence_spans(current)
        # The last sentence is still being written, and the one before it may yet receive a marker.
        held = len(spans) - (2 if len(spans) > 1 and current[spans[-1][0]] == "[" else 1)
        done += [current[a:b] for a, b in spans[: max(held, 0)]]
        self._pending = current[spans[held][0] :] if spans and held >= 0 else current
        return [s for s in done if _worth_keeping(s)]

    def close(self) -> list[str]:
        rest, self._pending = tidy(self._pending, final=True), ""
        return [s for line in rest.split("\n") for s in _sentences(line) if _worth_keeping(s)]


def _sentences(line: str) -> list[str]:
    return [line[a:b] for a, b in sentence_spans(line)]


def _worth_keeping(sentence: str) -> bool:
    return any(c.isalpha() for c in sentence)
