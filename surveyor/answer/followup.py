"""A follow-up question read against the conversation, offline: 'does it also happen for CNNs?' after
'what is grokking?' is 'does grokking also happen for CNNs?'; 'what about its speed?' after an answer
about HNeRV is 'what about HNeRV's speed?'. A follow-up that names a subject of its own starts fresh."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from surveyor.answer.citations import MARKER, expand_marker
from surveyor.records import Answer, Paper
from surveyor.text.question import read_question
from surveyor.text.roles import own_names
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import tokenize


@dataclass(frozen=True)
class Context:
    """What the conversation so far gives the answer to its next question."""

    said: tuple[str, ...] = ()  # the sentences earlier answers showed, and the abstract sentences they quote
    subject: frozenset[str] = frozenset()  # for a follow-up: the papers that answered the turn it leans on
    before: str = ""  # for a follow-up: the question it follows on, as searched


_REFERS_BACK = re.compile(
    r"\b(?:it|its|it's|they|their|them|this|that|these|those|the same|this one|former|latter|such)\b|"
    r"^\s*(?:and|what about|how about|also|same for|and for)\b|"
    r"\bthe (?:[\w-]+ ){0,2}(?:method|approach|model|variant|technique|paper|work|study|system|framework|algorithm|"
    r"scheme|architecture|version|idea|trick)s?\b",
    re.IGNORECASE,
)
# A follow-up that asks for something else than what answered the last turn.
_ELSEWHERE = re.compile(r"\b(?:other|another|else|alternatives?|anything like|something like|similar|different|"
                        r"without|instead|beyond)\b", re.IGNORECASE)
# A follow-up asking for other work like the last answer's ('does anything like that work when ...?').
_OTHER_WORK = re.compile(r"\b(?:anything|something|anyone|any other|other (?:work|papers?|methods?|approaches|studies))"
                         r"\b", re.IGNORECASE)
# The pronoun a subject replaces, and how: 'its speed' -> "HNeRV's speed". ('they', 'their' and 'that analysis'
# keep their words, since 'they' are mostly the authors: the subject is added after the question instead.)
_PRONOUN = re.compile(r"\b(?:(its)|(it))\b", re.IGNORECASE)
_THEY = re.compile(r"\b(?:they|their|them)\b", re.IGNORECASE)


def changes_subject(question: str) -> bool:
    """Whether the question says it leaves the conversation's subject ('Another question: ...')."""
    return _NEW_SUBJECT.match(question) is not None


def looks_elsewhere(question: str) -> bool:
    """Whether the follow-up asks for other work than the last answer's ('anything like that for ...')."""
    return bool(_ELSEWHERE.search(question))


def refers_back(question: str, last: Answer | None = None) -> bool:
    """Whether the question leans on the conversation: a pronoun, 'what about ...', barely any words, or 'the'
    before a word of the papers that answered the last turn ('how are the separately trained experts combined?'
    after an answer on a paper that trains experts)."""
    if _REFERS_BACK.search(question) or len(tokenize(question)) <= 2:
        return True
    if last is None:
        return False
    shown = {t for c in last.backed() for t in tokenize(c.paper.title + " " + c.paper.abstract)}
    return any(len(t) >= 5 and t in shown and t not in _GENERIC
               for m in _DEFINITE.finditer(question) for t in tokenize(m.group(1)))


# 'the' and the words after it, up to the noun they lead to ('the separately trained experts').
_DEFINITE = re.compile(r"\bthe\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)
# Words most abstracts use: 'the performance' or 'the training' points back at nothing in particular.
_GENERIC = frozenset(tokenize("performance results training learning models methods approaches networks problems "
                              "tasks datasets state number quality accuracy efficiency effect impact benefits "
                              "advantages limitations challenges applications experiments settings"))


def standalone(question: str, last: Answer | None, carried: str | None = None) -> str:
    """The question as it can be searched alone, given the last answered turn (None: nothing to lean on) and the
    subject the conversation carries through it (`carried_subject`; by default the last turn's own). One that
    says it changes the subject ('Another question: ...') is its own, without the words saying so."""
    switched = _NEW_SUBJECT.match(question)
    if switched:  # a question of its own, searched without the words saying so
        return question[switched.end() :].strip() or question
    if last is None or not refers_back(question, last):
        return question
    subject = carried or subject_of(last)
    if subject is None or _OTHER_WORK.search(question):
        # No one name for what was discussed, or other work than it is wanted ('does anything like that work
        # when ...?'): carry the last question along, so retrieval sees both.
        return following(question, last)
    if subject.lower() in question.lower():
        return following(question, last) if _THEY.search(question) else question
    pronoun = _PRONOUN.search(question)
    pointed = _POINTED.search(question)
    # ('Do they need to hand-specify that structure, or can it be learned?': 'it' is that structure.)
    if pronoun is None or (pointed is not None and pointed.start() < pronoun.start()):
        return f"{question.rstrip(' ?')} ({subject})?"
    return question[: pronoun.start()] + (f"{subject}'s" if pronoun.group(1) else subject) + question[pronoun.end() :]


# A thing pointed back at by name ('that structure', 'this loss'), which an 'it' after it stands for.
_POINTED = re.compile(r"\b(?:that|this|these|those)\s+(?!(?:is|was|are|were|does|did|do|has|have|can|could|would|will|"
                      r"paper|work|study|one)\b)[a-z][\w-]*", re.IGNORECASE)


# 'Another question: ...', 'Different topic - ...', 'Switching topics, ...': the conversation's subject changes.
_NEW_SUBJECT = re.compile(
    r"^\s*(?:(?:by the way|btw|ok(?:ay)?|now|also|oh|so|right|alright|anyway)\s*[,:]?\s*)*"
    r"(?:(?:(?:a|an)\s+)?(?:(?:totally|completely|entirely|somewhat|quite)\s+)?"
    r"(?:other|another|different|new|unrelated|separate)\s+(?:question|topic|subject|thing|matter|one)|"
    r"(?:switching|changing|change of)\s+(?:topics?|subjects?|gears)|"
    r"on\s+(?:another|a different|an unrelated)\s+(?:note|topic|subject)|moving on|"
    r"(?:something|anything)\s+(?:else|different)(?:\s+(?:entirely|altogether))?|"
    r"(?:(?:also|totally|completely|entirely)\s+)?(?:unrelated|different))"
    r"\s*[:,;.!-]+\s*(?:(?:but|and|so)\s+)?",  # 'Unrelated, but is there ...'

    re.IGNORECASE,
)


def following(question: str, last: Answer) -> str:
    """The question with the one it follows on, for retrieval to see both."""
    return read_with(question, last.standalone or last.question)


def read_with(question: str, before: str) -> str:
    """`question` with the question `before` it, as one text to search and score with."""
    return f"{question} (following: {before})"


def asked_part(question: str) -> str:
    """A follow-up read against its conversation (`standalone`) without the context it was given:
    'what root cause ...? (following: why does ...?)' -> 'what root cause ...?'; 'do transformers adapt better
    (DiffScaler)?' -> 'do transformers adapt better'. Any other question is all its own."""
    own = re.sub(r"\s*\(following: [^()]*(?:\([^()]*\)[^()]*)*\)\s*$", "", question)
    return re.sub(r"\s*\((?!e\.g\.|i\.e\.|such as)[^()]{1,24}\)\?\s*$", "", own) or question


def carried_subject(answers: list[Answer]) -> str | None:
    """The subject a conversation carries (its answered turns, in order): the last one a turn had of its own,
    kept through turns that were read as about it ('does grokking also happen for CNNs?' after 'what is
    grokking?'), and dropped by a turn about something else."""
    subject = None
    for answer in answers:
        own = subject_of(answer)
        if own is not None:
            subject = own
        elif subject is not None and subject.lower() not in (answer.standalone or answer.question).lower():
            subject = None
    return subject


def subject_of(answer: Answer) -> str | None:
    """What the last turn was about: the term it defined, or the one paper that answered it, by its name."""
    reading = read_question(answer.standalone or answer.question)
    if reading.intent == "definition":
        return reading.term
    paper = dominant(answer)
    names = own_names(paper) if paper else ()
    return names[0] if names else None


def dominant(answer: Answer) -> Paper | None:
    """The paper at least two thirds of the answer's sentences cite, if there is one."""
    texts = [s.text for s in answer.sentences] or split_sentences(answer.text)
    cited: Counter[int] = Counter()
    for text in texts:
        cited.update({n for body in MARKER.findall(text) for n in expand_marker(body)})
    if not cited or not answer.citations:
        return None
    n, count = cited.most_common(1)[0]
    total = len(texts)
    by_n = {c.n: c.paper for c in answer.citations}
    return by_n.get(n) if count * 3 >= 2 * total else None
