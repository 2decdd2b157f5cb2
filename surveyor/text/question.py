"""What kind of answer a question wants, read from its words: a definition, a number, a named work, a
survey of approaches, or a plain explanation."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from surveyor.text.direction import same_move
from surveyor.text.tokens import same_term, tokenize

Intent = Literal["definition", "fact", "which", "broad", "general"]

_DEFINITION = re.compile(
    r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+(?=\w+\s*(?:\?|$|and\b)))?(?P<term>[^?,]+?)"
    r"(?:\s*(?:,|\band\b|\bor\b)\s+(?:why|how|what|when|where|which)\b[^?]*)?\s*\??\s*$|"
    r"^\s*(?:(?:define|explain the term|what do you mean by)\s+(?P<term2>[^?]+?)|what (?:does|do)\s+(?P<term3>[^?]+?)"
    r"\s+mean)\s*\??\s*$",
    re.IGNORECASE,
)
_FACT = re.compile(
    r"\b(?:how (?:much|many|fast|large|big|well|long|small|accurate|quickly)|by how|what (?:[\w-]+ )?(?:speed-?up|"
    r"accuracy|score|fid|psnr|rate|size|latency|throughput|cost|percentage|bandwidth|resolution|memory|error|"
    r"perplexity|compression ratio)|at what|how many times|number of|amount of)\b",
    re.IGNORECASE,
)
# ('Which of them tackles exposure bias ...?', 'which one ...' after a survey question: one of the works it named.)
_WHICH = re.compile(r"^\s*(?:(?:which|what|name the)\s+(?:paper|work|study|method|model|system|approach|algorithm)\b|"
                    r"which\s+(?:one|of\s+(?:them|these|those)|of\s+the\s+(?:[\w-]+\s+){0,2}(?:papers|works|studies|"
                    r"methods|models|systems|approaches|algorithms|samplers|techniques))\b)", re.IGNORECASE)
_BROAD = re.compile(
    r"\b(?:what|which)\s+(?:\w+\s+){0,2}(?:approaches|methods|techniques|ways|strategies|works|papers|studies|"
    r"solutions|models|systems|algorithms|directions|ideas)\b|\b(?:approaches|methods|techniques|ways|strategies)"
    r"\s+(?:to|for|that)\b|\b(?:survey|overview|landscape)\b",
    re.IGNORECASE,
)


# 'Which diffusion models did they demonstrate this on?' asks of one paper, not for a survey of models.
_OF_ONE = re.compile(r"\b(?:did|do|does)\s+(?:they|it|the authors)\b|\b(?:their|its)\b", re.IGNORECASE)
# 'How well did it do ...?': the sentence stating how it fared against others first.
_ASKS_HOW_WELL = re.compile(r"\bhow well\b", re.IGNORECASE)
# 'What R2 did it reach ...?', "What's the best FID they report ...?": a number of the measure it names.
_ASKS_METRIC = re.compile(
    r"\b(?:what|which)(?:'s|\s+is|\s+was|\s+were)?\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:(?:best|lowest|highest|top|final|overall|reported|resulting)\s+)?"
    r"(?P<metric>(?-i:[A-Z][A-Z0-9]*[A-Z0-9](?:-\w+)?))\s+"
    r"(?:did|does|do|is|was|are|were|they|it|score|value|of|on)\b",
    re.IGNORECASE,
)
# 'How long did it take ...': the number wanted is a duration.
_ASKS_TIME = re.compile(r"\bhow long\b|\bhow much (?:\w+ )?time\b|\bhow many (?:hours|days|minutes|seconds|weeks)\b",
                        re.IGNORECASE)
_STATES_TIME = re.compile(
    r"\b\d[\d.,]*\s*(?:hours?|minutes?|mins?|seconds?|days?|weeks?|months?|h|ms)\b|"
    r"\b(?:an?|one|two|three|few|several)\s+(?:hours?|minutes?|days?|weeks?|months?)\b",
    re.IGNORECASE,
)


# 'How many ...' is answered by a count in words as well as in digits ('four of the five datasets').
_ASKS_COUNT = re.compile(r"\bhow many\b|\bnumber of\b", re.IGNORECASE)
# The measure a 'how much faster/smaller ...' question asks about.
_MEASURE = re.compile(r"\bhow (?:much|many times) (\w+er)\b", re.IGNORECASE)
# What 'how many X' counts: the two words after it ('how many class pairs ...?', 'how many features were ...?').
_COUNTED = re.compile(r"\b(?:how many|number of)\s+([\w-]+)(?:\s+([\w-]+))?", re.IGNORECASE)
_NOT_COUNTED = frozenset("of the a an different distinct unique separate were was are is do does did can could "
                         "have has had will would and or".split())
_COUNT_WORDS = (r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|dozens?|hundreds?|"
                r"thousands?|millions?|billions?")
_STATES_COUNT = re.compile(rf"\b(?:{_COUNT_WORDS})\b", re.IGNORECASE)
# Names listed after 'on' or 'such as' ('... in test accuracy on Cora, Citeseer, and Pubmed'): what a
# question asking for datasets wants, however the sentence calls them.
_NAMES_LISTED = (r"(?:on|such as|including)\s+(?:the\s+)?(?-i:[A-Z][\w-]*(?:\s*,\s*(?:and\s+)?[A-Z][\w-]*)+|"
                 r"[A-Z][\w-]*\s+and\s+[A-Z][\w-]*)|"
                 # '... on controlled synthetic data, CelebA, and Taskonomy': a list closing on two names
                 r"\bon\s+[^.;]{0,60}?,\s*(?-i:[A-Z][\w-]*),?\s+and\s+(?-i:[A-Z][\w-]*)")
_LISTS_NAMES = re.compile(_NAMES_LISTED)
# What a 'what/which X ...' question asks for, when X is a kind of thing an abstract names in words of its own:
# the question's words for it, and the words of a sentence that names one ('what dataset was it evaluated on?'
# is answered by '... outperforms the state of the art on the Fashion-MNIST dataset').
_KINDS = (
    (r"datasets?|data sets?|data|databases?|benchmarks?|corpus|corpora",
     rf"datasets?|data sets?|benchmarks?|corpus|corpora|{_NAMES_LISTED}"),
    (r"use[- ]cases?|applications?|scenarios?|settings?|domains?",
     r"use[- ]cases?|applications?|scenarios?|domains?|applied to|applying it to"),
    (r"mechanisms?|components?|modules?|tricks?|ingredients?",
     r"mechanisms?|components?|modules?|tricks?|blocks?|layers?"),
    (r"metrics?|measures?|criteri(?:on|a)",
     r"metrics?|measures?|criteri(?:on|a)|scores?|based on|according to|depending on"),
    (r"defen[cs]es?|mitigations?|countermeasures?|protections?",
     r"defen[cs]\w*|mitigat\w*|countermeasures?|protect\w*"),
    (r"fix(?:es)?|remed(?:y|ies)|solutions?|cures?",
     r"solutions?|fix(?:es)?|remed\w+|resolves?|alleviat\w+|overcomes?|mitigat\w+|address(?:es)? (?:this|these|the)"),
    (r"limitations?|drawbacks?|weakness(?:es)?|downsides?|disadvantages?|shortcomings?",
     r"limitations?|drawbacks?|weakness\w*|downsides?|disadvantages?|shortcomings?|suffers?|toll|costly|"
     r"expensive|at the cost|prohibitive"),
    (r"languages?", r"languages?|English|Chinese|Turkish|Ukrainian|Russian|German|French|Spanish|Arabic|Hindi"),
    (r"loss(?:es)?|objectives?|regulari[sz]ers?", r"loss(?:es)?|objectives?|regulari[sz]\w*"),
    (r"techniques?|tools?", r"techniques?|tools?"),
)
_NAMES_DATA = re.compile(rf"\b(?:{_KINDS[0][1]})\b", re.IGNORECASE)
# A dataset named by its name: 'on the Fashion-MNIST dataset', 'the ImageNet benchmark'.
_ONE_DATASET = re.compile(r"(?-i:\b[A-Z][\w-]*[A-Z0-9][\w-]*)\s+(?:datasets?|benchmarks?|corpus)\b")
_ASKS_KIND = [
    (re.compile(rf"\b(?:what|which)\s+(?:(?:is|are|was|were)\s+(?:the|its|their)\s+)?(?:[\w-]+\s+){{0,3}}?"
                rf"(?:{asked})\b", re.IGNORECASE),
     _NAMES_DATA if n == 0 else re.compile(rf"\b(?:{named})\b", re.IGNORECASE))
    for n, (asked, named) in enumerate(_KINDS)
] + [  # 'was it tested on any biological data?' asks for the data
    (re.compile(r"\b(?:tested|evaluated|validated|tried|applied|benchmarked)\s+on\s+(?:any|some|real|which|what)?\s*"
                r"(?:[\w-]+\s+){0,2}?(?:data|datasets?|benchmarks?)\b", re.IGNORECASE),
     _NAMES_DATA),
    # 'What did they evaluate it on?'
    (re.compile(r"^\W*(?:and\s+)?(?:what|which)\b[^?]*\b(?:evaluat|test|validat|benchmark|assess)\w*\b[^?]*\bon\s*\?",
                re.IGNORECASE),
     _NAMES_DATA),
]


# 'What kind of data was X showcased on?': the verb closing the question says what was done with the thing asked.
_DONE_ON = re.compile(r"\b(\w+ed)\s+(?:on|in|with|for|to|by|against)\s*\?\s*$", re.IGNORECASE)
# 'How do they adapt quickly ...?' asks for a means, said as 'by designing ...', 'via ...', 'through ...'.
_ASKS_HOW = re.compile(r"^\W*(?:and\s+|so\s+)?how\s+(?:do|does|did|can|could|is|are|was|were)\b"
                       r"(?!.*\b(?:compare|compares|differ|differs|perform|performs|fare|fares|scale|scales)\b)",
                       re.IGNORECASE)
_SAYS_HOW = re.compile(r"\bby\s+(?!(?:the|a|an)\b)(?:[\w-]+\s+)?\w+ing\b|\bvia\b|\bthrough\b|\bbased on\b|"
                       r"\bwe\s+(?:\w+\s+)?use[ds]?\b[^.;,]{0,80}?\bto\s+(?!be\b)\w+|"
                       r"^\W*to\s+\w+[^.;]{0,80}?,\s*we\s+(?:use|employ|adopt|apply|introduce)\b", re.IGNORECASE)
# 'How is the alignment problem solved?', 'how can the instabilities be provably fixed?': what is done to a problem,
# which the sentence answering says ('... can be solved efficiently using dynamic programming', '... provably
# fixes this problem') where its subject may be the means, with no 'by'.
_REMEDIED = re.compile(r"\bhow\b[^?]*\b(solv|fix|address|overc[oa]m|resolv|mitigat|alleviat|avoid|prevent|reduc|"
                       r"handl|tackl|remed|eliminat|cur)\w*\s*\?\s*$", re.IGNORECASE)
# 'What is the new update rule shown to be equivalent to?': answered by the sentence saying it is ('The new update
# rule is equivalent to the attention mechanism ...').
_ASKS_RELATION = re.compile(r"^\W*(?:what|which)\b[^?]*\b(equivalent|identical|similar|related|connected|analogous|"
                            r"proportional|dual|reducible|a special case|a generali[sz]ation|bounded|derived|inspired|"
                            r"based|built|grounded|rooted)\s+(?:to|of|with|by|from|on|upon|in)\s*\?\s*$", re.IGNORECASE)
# 'Do they hand-specify it, or can it be learned?', 'Can it be parallelized?' (not 'how can it be ...?'): answered
# by the sentence saying it can ('how sheaves can be learned from data').
_ASKS_CAN_BE = re.compile(r"(?:^\W*|\bor\s+)(?:can|could)\s+(?:it|they|this|that|these|those|[\w-]+)\s+be\s+"
                          r"(\w+(?:ed|en))\b", re.IGNORECASE)
# 'What tuning-free change was proposed to counteract this?': answered by the sentence proposing it.
_ASKS_PROPOSED = re.compile(r"^\W*(?:what|which)\b[^?]*\b(?:was|were|is|are|has been|have been|did\s+(?:they|the "
                            r"authors))\s+(?:\w+\s+)?(?:propos|introduc|present|develop|design|suggest)\w*\b",
                            re.IGNORECASE)
_PROPOSES = re.compile(r"\bwe\s+(?:\w+\s+)?(?:propose|introduce|present|develop|design|suggest)\b|"
                       r"\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:proposed|introduced|presented)\b", re.IGNORECASE)
# 'Does accuracy suffer more from losing data or from losing connectivity?': a choice, answered by the sentence
# comparing the two ('... more affected by a loss of connectivity than by a loss of data').
_ASKS_CHOICE = re.compile(r"^\W*(?:and\s+|so\s+)?(?:does|do|did|is|are|was|were|would|will)\b[^?]*\b(?:more|less|"
                          r"better|worse|faster|slower|higher|lower|larger|smaller)\b[^?]*\bor\b[^?]*\?", re.IGNORECASE)
_SAYS_COMPARED = re.compile(r"\b(?:more|less|better|worse|faster|slower|higher|lower|larger|smaller)\b[^.;]*\bthan\b",
                            re.IGNORECASE)
# 'Why doesn't X work?' asks for a reason, said as 'because ...', 'due to ...', 'stems from ...'.
# 'What gains do they report ...?', 'what improvements did it bring?': the sentence stating the results.
_ASKS_GAINS = re.compile(r"^\W*(?:and\s+|so\s+)?what\s+(?:kind of\s+|sort of\s+)?(?:gains?|improvements?|benefits?|"
                         r"advantages?)\b", re.IGNORECASE)
_SAYS_GAINS = re.compile(r"\b(?:outperform\w*|surpass\w*|improv(?:es|ed|ing|ements? (?:of|in|over))|gains? (?:of|in)|"
                         r"faster|speed-?ups?|advantages? over|(?:better|worse) than|(?:the )?(?:lowest|highest|best)|"
                         r"(?:a |the )?(?:strong|strongest|most effective) (?:approach|method|baseline|choice))\b",
                         re.IGNORECASE)
# 'Which approach turned out to work best ...?': the sentence stating the finding ('... are a strong approach').
_ASKS_BEST = re.compile(r"^\W*(?:which|what)\b[^?]*\b(?:works?|worked|performs?|performed|is|was|"
                        r"turned out(?: to (?:be|work))?)\s+(?:the\s+)?best\b", re.IGNORECASE)
# 'How did that compare with the baselines?', 'how does it fare against ...?': the sentence stating the outcome.
_ASKS_COMPARED = re.compile(r"^\W*(?:and\s+|so\s+)?how\s+(?:do|does|did|would)\s+(?:[\w-]+\s+){0,4}?"
                            r"(?:compare|fare|stack up)\b", re.IGNORECASE)
_ASKS_WHY = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?(?:why\b|what (?:causes|caused|is the reason|explains)\b|"
                       r"what\b[^?]*\b(?:main|primary|key|major|biggest|root|underlying)\s+"
                       r"(?:drivers?|causes?|culprits?|sources?|factors?)\s+(?:of|for|behind)\b)", re.IGNORECASE)
_SAYS_WHY = re.compile(r"\b(?:because|due to|owing to|caused by|stems? from|stemming from|"
                       r"the (?:main |primary |key |underlying |root )?reasons?|"
                       r"(?:the|underlying|root|main|primary) causes?(?! \w+ to\b)|"
                       r"is attributed to|can be attributed to|results? from|arises? from|since|"
                       r"play(?:s|ed)? an? (?:crucial|key|major|central|critical|significant|dominant|decisive) role|"
                       r"(?:is|are) (?:mainly |largely |primarily )?(?:driven by|responsible for))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """How a question reads: its intent, for a definition the term to define, for a fact whether the number
    wanted is a duration or a count, and what kind of thing it asks for ('what dataset ...'), if it says."""

    intent: Intent
    term: str = ""
    duration: bool = False
    count: bool = False
    counted: tuple[str, ...] = ()  # for 'how many X': the stems of X ('featur')
    measure: str = ""  # for 'how much faster ...': the token of the measure ('faster')
    metric: str = ""  # for 'what R2 did it reach ...?': the measure as named ('R2', 'FID')
    fared: bool = False  # for 'how well did it do ...?': a number saying how it fared against others first
    terms: frozenset[str] = frozenset()  # for a fact: the question's terms, to see what a number leaves unsaid
    kind: re.Pattern[str] | None = None  # the words of a sentence that names what is asked for
    # 'how do they ...?' / 'why ...?': the words of a sentence that says by what means / for what reason
    explained_by: re.Pattern[str] | None = None
    reason: bool = False  # 'why ...?': the reason may be the problem the paper sets out from
    given: tuple[str, ...] = ()  # numbers the question itself states ('with 39 NFEs'): the answer is beside them
    done: tuple[str, ...] = ()  # for 'what data was it showcased on?': what was done with the thing asked for
    remedy: str = ""  # for 'how is X solved?': the stem of what is done to the problem ('solv')
    proposal: bool = False  # 'what change was proposed to ...?': the sentence proposing it, however it is worded


    def explains(self, sentence: str) -> bool:
        """For a 'how do they ...' or 'why ...' question: whether the sentence says by what means ('by
        designing ...') or for what reason ('because ...')."""
        return self.explained_by is not None and self.explained_by.search(sentence) is not None

    def answers_kind(self, sentence: str) -> bool:
        """Whether the sentence states the kind of number asked for (any number, unless a duration is)."""
        return not self.duration or _STATES_TIME.search(sentence) is not None

    def states_count(self, sentence: str) -> bool:
        """For 'how many' questions: whether the sentence gives a count in words."""
        return self.count and _STATES_COUNT.search(sentence) is not None

    def counts_asked(self, sentence: str) -> bool:
        """For 'how many X' questions: whether the sentence puts a count just before X ('over 100 unique
        features')."""
        if not self.counted:
            return False
        words = "|".join(re.escape(w).replace(r"\-", "-?") for w in self.counted)  # 'all-to-all', 'Alltoall'
        count = rf"(?:\d[\d,.]*[KMB]?|{_COUNT_WORDS}|one(?!\s+of\b)|a single)"  # 'only one Alltoall', '13K tests'
        return re.search(rf"\b{count}\s+(?:[\w-]+\s+){{0,2}}?(?:{words})\w*", sentence, re.IGNORECASE) is not None

    def holds_measure(self, sentence: str) -> bool:
        """For 'how much faster ...': whether the sentence speaks of that measure ('ten times faster', 'a 3x
        speedup')."""
        if self.metric and re.search(rf"(?<![\w-]){re.escape(self.metric)}(?![a-z0-9])", sentence, re.IGNORECASE):
            return True  # 'an FID-50K score of 2.06' for 'what's the best FID ...?'
        return bool(self.measure) and any(same_term(self.measure, t) or same_move(self.measure, t)
                                          for t in tokenize(sentence))

    def adds_to(self, sentence: str, lead: str) -> bool:
        """For a fact asked of two things ('cut latency and raise throughput'): whether the sentence holds two
        of the question's terms the lead leaves out."""
        said, held = tokenize(lead), tokenize(sentence)
        unsaid = [t for t in self.terms if not any(same_term(t, s) for s in said)]
        return sum(any(same_term(t, h) for h in held) for t in unsaid) >= 2

    def answers_given(self, sentence: str) -> bool:
        """Whether the sentence states a number the question states and one more ('with only 39 NFEs (1.57)'), not
        only the question's own ('ImageNet 256x256' for 'on ImageNet 256')."""
        return self.repeats_given(sentence) and bool(set(_GIVEN.findall(sentence)) - set(self.given))

    def repeats_given(self, sentence: str) -> bool:
        """Whether the sentence states a number the question states ('39 NFEs' in 'with only 39 NFEs (1.57)')."""
        return any(re.search(rf"(?<![\d.]){re.escape(n)}(?![\d]|\.\d)", sentence) for n in self.given)

    def says_done(self, sentence: str) -> bool:
        """For 'what data was it showcased on?': whether the sentence says it was ('we showcase our method on')."""
        return any(same_term(d, t) for d in self.done for t in tokenize(sentence))

    def states_how_it_fared(self, sentence: str) -> bool:
        """For 'how well did it do ...?': whether the sentence says how it fared ('surpasses all baselines on 4')."""
        return self.fared and _SAYS_GAINS.search(sentence) is not None

    def says_remedy(self, sentence: str) -> bool:
        """For 'how is X solved?': whether the sentence says it is ('can be solved efficiently using ...')."""
        return bool(self.remedy) and re.search(rf"\b{self.remedy}\w*", sentence, re.IGNORECASE) is not None

    def names_asked(self, sentence: str) -> bool:
        """Whether the sentence names the kind of thing the question asks for."""
        return self.kind is not None and self.kind.search(sentence) is not None

    def lists_names(self, sentence: str) -> bool:
        """Whether the sentence names the things asked for one by one ('on Cora, Citeseer, and Pubmed'), or,
        asked for data, a dataset by its name ('on the Fashion-MNIST dataset')."""
        if self.kind is _NAMES_DATA and _ONE_DATASET.search(sentence):
            return True
        return self.kind is not None and _LISTS_NAMES.search(sentence) is not None


def read_question(question: str) -> Reading:
    """'what is grokking and why does it happen?' -> definition of 'grokking'; 'how much faster ...' -> fact;
    'which paper ...' -> which; 'what approaches ...' -> broad; 'what dataset ...' -> general, asking for a
    dataset; anything else -> general. Any of them with the numbers the question states."""
    asked = _ASKED_LAST.search(question)  # 'Kernel methods ... scale cubically; how is that cost reduced?'
    return replace(_read(asked.group(1) if asked else question), given=tuple(dict.fromkeys(_GIVEN.findall(question))))


# A question put after what it is about: the clause after a ';', ':' or '.' that asks, or after the comma closing
# a question's opening clause ('To fuse networks with different depths, how is the alignment problem solved?').
_ASKED_LAST = re.compile(r"(?:[;:.]|^\W*(?:in|for|to|when|given|after|if|once|while|since|among|with|beyond|besides|"
                         r"compared)\b[^?]*?,)\s+((?:how|why|what|which|does|do|did|is|are|was|were|can|could)\b"
                         r"[^;:.,]*\?)\s*$", re.IGNORECASE)


# A number a question states, not a year ('with 39 NFEs', 'at 512 resolution', 'the 2.5% setting').
_GIVEN = re.compile(r"(?<![\w.-])(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?(?![\w.]*[a-z]\d)")


_CONTRACTED = re.compile(r"\b(what|which|how|where|who|why)['\u2019]s\b", re.IGNORECASE)


def _read(question: str) -> Reading:
    question = _CONTRACTED.sub(r"\1 is", question)  # "what's their fix?"
    if _BROAD.search(question) and not _OF_ONE.search(question):
        return Reading("broad")
    if _WHICH.search(question):
        return Reading("which")
    metric = _ASKS_METRIC.search(question)
    if _FACT.search(question) or metric:
        return Reading("fact", duration=_ASKS_TIME.search(question) is not None,
                       fared=_ASKS_HOW_WELL.search(question) is not None,
                       count=_ASKS_COUNT.search(question) is not None, counted=_counted(question),
                       measure=_measure(question), terms=frozenset(tokenize(question)),
                       metric=metric.group("metric") if metric else "")
    relation = _ASKS_RELATION.search(question)
    if relation:
        related = rf"\b{relation.group(1)}\s+(?:to|of|with|by|from|on|upon|in)\b"
        return Reading("general", explained_by=re.compile(related, re.IGNORECASE))
    kind = next((named for asked, named in _ASKS_KIND if asked.search(question)), None)
    if kind is not None:
        done = _DONE_ON.search(question)
        return Reading("general", kind=kind, done=tuple(tokenize(done.group(1))) if done else ())
    if _ASKS_GAINS.search(question) or _ASKS_COMPARED.search(question) or _ASKS_BEST.search(question):
        return Reading("general", explained_by=_SAYS_GAINS)
    can_be = _ASKS_CAN_BE.search(question)
    if can_be:
        return Reading("general", explained_by=re.compile(rf"\b(?:can|could)\s+be\s+(?:\w+ly\s+)?{can_be.group(1)}\b",
                                                          re.IGNORECASE))
    if _ASKS_PROPOSED.search(question):
        return Reading("general", explained_by=_PROPOSES, proposal=True)
    if _ASKS_CHOICE.search(question):
        return Reading("general", explained_by=_SAYS_COMPARED)
    if _ASKS_HOW.search(question):
        remedied = _REMEDIED.search(question)
        return Reading("general", explained_by=_SAYS_HOW, remedy=remedied.group(1).lower() if remedied else "")
    if _ASKS_WHY.search(question):
        return Reading("general", explained_by=_SAYS_WHY, reason=True)
    match = _DEFINITION.match(question)
    if match:
        term = (match.group("term") or match.group("term2") or match.group("term3") or "").strip()
        if 0 < len(term.split()) <= 5 and not re.search(r"(?<![\w-])(?:of|for|in|between|to)(?![\w-])", term):
            return Reading("definition", term)
    return Reading("general")


def _measure(question: str) -> str:
    match = _MEASURE.search(question)
    return next(iter(tokenize(match.group(1))), "") if match else ""


def _counted(question: str) -> tuple[str, ...]:
    """The stems of what 'how many X' counts: 'how many class pairs' -> ('class', 'pair')."""
    match = _COUNTED.search(question)
    if match is None:
        return ()
    words = [w.lower() for w in match.groups() if w and w.lower() not in _NOT_COUNTED]
    return tuple(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w for w in words[:2])


def defines(sentence: str, term: str) -> bool:
    """Whether the sentence states what `term` is: 'Grokking, or delayed generalization, is a phenomenon ...',
    'Mixture-of-Experts (MoE) models are ...', 'X refers to ...'."""
    words = [re.escape(w.rstrip("s")) + "s?" for w in re.split(r"[\s-]+", term.strip()) if w]
    name = r"(?:\s*\([^)]*\))?[\s-]+".join(words)
    pattern = (
        rf"^\s*(?:the\s+|an?\s+)?{name}\b(?:\s*\([^)]*\))?(?:,[^,]{{1,80}},)?\s+"
        r"(?:is|are|refers? to|denotes?|describes?|means|has been defined as|can be defined as)\b"
    )
    return re.search(pattern, sentence, re.IGNORECASE) is not None
