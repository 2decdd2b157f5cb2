"""Prose from abstract sentences: naming papers, and turning "We propose X" into "HNeRV [1] proposes X"."""

from __future__ import annotations

import re

from surveyor.records import Paper

# "We propose ..." (after an optional short lead-in clause such as "To tackle this," or "In this paper,").
_VERBS = (
    "propose|present|introduce|develop|show|demonstrate|find|study|describe|derive|provide|explore|"
    "investigate|report|design|prove|formulate|establish|evaluate|argue|analyze|analyse|examine|"
    "train|release|build|construct|leverage|use|apply|achieve|obtain|observe|identify|conduct|perform"
)
LEAD = re.compile(rf"^(?:(?P<into>[^,.;]{{0,60}}),\s+)?[Ww]e\s+(?:also\s+|further\s+|then\s+|first\s+)?"
                  rf"(?P<verb>(?:{_VERBS})(?:d|ed)?)\b")
# A lead-in is kept where it says what for or where ('To simulate delays between layers,', 'On ImageNet,'); one
# that points back ('To this end,', 'In this paper,', 'Based on this insight,': _POINTS_BACK), opens on anything else
# ('Specifically,', 'Investigating ...': _SAYS_FOR_OR_WHERE), or, though opening on a preposition, only links the
# sentence to the one before (these), is dropped when the paper is named.
_LINKING = re.compile(
    r"^(?:to do so|in (?:particular|addition|response|contrast|practice|summary|short|turn))$|"
    # 'To address CAOOD,': the problem the sentence before set out
    r"^to (?:address|tackle|solve|overcome|mitigate|alleviate|remedy|handle|fix|resolve|fill|bridge|close|meet|"
    r"achieve|realize|accomplish|answer|study|investigate|understand|explore)\b",
    re.IGNORECASE,
)
# A lead-in saying what for ('To simulate ...') or where ('On ImageNet', 'For document-level representations'); one
# opening on a participle ('Investigating the root cause of SC,') goes on from the sentence before.
_SAYS_FOR_OR_WHERE = re.compile(r"\s*(?:to|on|for|in|with|across|under|at|over|from|without|using|via|beyond|during|"
                                r"unlike|compared)\s", re.IGNORECASE)
_POINTS_BACK = re.compile(r"\b(?:this|these|that|those|such|it|its|their|them|they|above|aforementioned|former|"
                          r"latter|same)\b", re.IGNORECASE)
# A sentence opening that only adds to what came before ('Moreover, ...'): the sentence stands on its own
# without it (unlike 'However', 'Thus' or 'This', which lean on the sentence before).
ADDITIVE = re.compile(
    r"^(?:(?:Moreover|Furthermore|In addition|Additionally|Notably|Importantly|Finally|Overall|Also|Surprisingly|"
    r"Interestingly|Remarkably|In particular|Specifically|For instance|For example),|"
    r"(?:Thus|Hence|Therefore|Consequently|As a result),?)\s+"  # 'Thus the main advantage ...' concludes on its own
)
# "... observes X and propose Y": the second verb must agree with the new subject too.
# Beside the verbs a sentence opens on, those that follow one ('We identify the cause and refer to it as ...').
_FOLLOWING_VERBS = (
    "refer|call|term|name|compare|discuss|extend|measure|test|validate|verify|highlight|reveal|suggest|offer|"
    "make|give|discover|compute|employ|adopt|consider|characterize|characterise|quantify|outline|benchmark|"
    "improve|reduce|outperform|open-source|share|illustrate|confirm|conclude|motivate"
)
_COORDINATED = re.compile(rf"\b(and|then|also|and then)\s+({_VERBS}|{_FOLLOWING_VERBS})\b")


class Names:
    """How papers are named in prose: short name, first author, else 'One study', 'Another study', ...
    A paper keeps the name it was first given; an unnamed one is 'the same study' when it comes back.
    `title_first`: an unnamed paper is first introduced by its title (the question asked which work)."""

    _ANONYMOUS = ("One study", "Another study", "A further study", "A related study", "Other work")

    def __init__(self, title_first: bool = False) -> None:
        self._given: dict[str, tuple[str, bool]] = {}
        self.title_first = title_first

    def subject(self, paper: Paper) -> tuple[str, bool]:
        """The name, and whether it takes a plural verb ('Chen et al. propose')."""
        first = paper.paper_id not in self._given
        if first:
            self._given[paper.paper_id] = self._name(paper)
        name, plural = self._given[paper.paper_id]
        if name in self._ANONYMOUS:
            if not first:
                return "The same study", False
            if self.title_first:
                return f'The paper "{paper.title}"', False
        return name, plural

    def introduced(self, paper: Paper) -> bool:
        """Whether the paper has been named already."""
        return paper.paper_id in self._given

    def given(self, paper: Paper) -> tuple[str, bool]:
        """The name the paper was first given (after `subject` named it), and whether it takes a plural verb."""
        return self._given.get(paper.paper_id) or self._name(paper)

    def _name(self, paper: Paper) -> tuple[str, bool]:
        if paper.short_name:
            return paper.short_name, False
        if paper.authors:
            surname = paper.authors[0].split()[-1]
            return (f"{surname} et al.", True) if len(paper.authors) > 1 else (surname, False)
        anonymous = sum(1 for name, _ in self._given.values() if name in self._ANONYMOUS)
        return self._ANONYMOUS[min(anonymous, len(self._ANONYMOUS) - 1)], False


def third_person(sentence: str, paper: Paper, n: int, names: Names) -> str:
    """'We propose X.' -> 'HNeRV [1] proposes X.'; other sentences get the marker at their end."""
    text = re.sub(r"\[(\d[\d,\s\-–]*)\]", r"(\1)", sentence.strip())  # a source's own brackets are not ours
    if text[-1] not in ".!?":
        text += "."  # every sentence ends, so the verifier splits claims where they end
    lead = LEAD.match(text)
    if lead:
        rest = text[lead.end() :]
        subject, plural = names.subject(paper)
        verb = lead.group("verb") if plural else _third_person_verb(lead.group("verb"))
        if not plural:
            rest = _COORDINATED.sub(lambda m: f"{m.group(1)} {_third_person_verb(m.group(2))}", rest)
        into = lead.group("into")
        kept = into and _SAYS_FOR_OR_WHERE.match(into) and not _LINKING.match(into.strip())
        if kept and not _POINTS_BACK.search(into):
            # 'To simulate delays between layers, one study [1] uses 1D convolutions'
            subject = subject[0].lower() + subject[1:] if subject.startswith(_COMMON_SUBJECTS) else subject
            return _pronouns(f"{into}, {subject} [{n}] {verb}{rest}")
        return _pronouns(f"{subject} [{n}] {verb}{rest}")
    itself = _THIS_PAPER.match(text)
    if itself:  # 'This paper aims to ...' -> 'One study [9] aims to ...' (in a draft, 'this paper' is the reader's)
        subject, plural = names.subject(paper)
        rest = text[itself.end() :]
        if plural:  # 'Chen et al. aim to ...'
            rest = re.sub(r"^(\w+?)(?<!s)s\b", r"\1", rest, count=1)
        return _pronouns(f"{subject} [{n}] {rest}")
    text = ADDITIVE.sub("", text)
    owned = _OURS.match(text)
    if owned and not names.introduced(paper):
        # 'Our approach incorporates X' before the paper was named: 'In one study [1], the approach incorporates X'.
        subject, _ = names.subject(paper)
        subject = subject[0].lower() + subject[1:] if subject.startswith(_COMMON_SUBJECTS) else subject
        return _pronouns(f"In {subject} [{n}], the {text[owned.end() :]}")
    text = _pronouns(text)
    return f"{text[:-1]} [{n}]{text[-1]}"


# How an unnamed paper is referred to, which a lead-in puts in lower case ('To X, one study [1] uses ...').
_COMMON_SUBJECTS = ("One ", "The ", "Another ", "A ")


# A sentence opening on what the authors own: 'Our approach ...', 'Our experiments ...'.
_OURS = re.compile(r"^Our\s+")


_THIS_PAPER = re.compile(r"^(?:This|The present) (?:paper|work|study|article|letter|contribution)\s+(?=[a-z]+s\b)")


def names_its_paper(sentence: str) -> bool:
    """Whether `third_person` makes the paper the sentence's subject ('We propose X', 'This paper aims to X')."""
    return bool(LEAD.match(sentence) or _THIS_PAPER.match(sentence))


def _third_person_verb(verb: str) -> str:
    if verb.endswith("ed"):  # "we proposed" stays in the past tense
        return verb
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")


def _pronouns(text: str) -> str:
    text = re.sub(r"\b[Ww]e\b", "the authors", text)
    text = re.sub(r"\bOur\b", "Their", re.sub(r"\bour\b", "their", text))
    text = re.sub(r"\bus\b", "them", text)
    return text[0].upper() + text[1:] if text else text


# -- drafts: naming papers by their system's name, and varying the rest --------------------------------------

# A system's name: capitals or digits inside a word ('CacheQuant', 'GMem', 'DiT-MoE', 'TFMQ-DM', 'ERW').
_SYSTEM = r"[A-Za-z][a-z0-9]*[A-Z0-9][A-Za-z0-9]*(?:[-+][A-Za-z0-9]+)*"
_CAPITALISED = r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
# Acronyms of the field that papers use without naming anything of their own.
_COMMON_ACRONYMS = frozenset(
    "AI ML DL NLP CV RL GPU GPUS CPU TPU GAN GANS VAE VAES CNN CNNS RNN RNNS LSTM MLP MLPS LLM LLMS GNN GNNS DNN "
    "DNNS FID IS SOTA API APIS IID OOD FL SGD ADAM BERT GPT CLIP VIT VITS DDPM DDIM SDE ODE PDE MSE KL IOT QA "
    "LDM LDMS DM DMS PCA NAS EBM EBMS SDF LORA MOE TEE SPSA RIS PID NERF NERFS SSL SVM KNN".split()
)
# "We propose ... NAME": the verbs by which authors name what they built.
_BUILT = re.compile(
    r"^(?:[^,.;]{0,60},\s+)?[Ww]e\s+(?:also\s+|further\s+|then\s+|first\s+)?"
    r"(?:propose|present|introduce|develop|design|build|construct|formulate)[sd]?\b(?P<object>.*)$"
)
_NAMED_AS = re.compile(rf"\b(?:named|called|dubbed|termed|coined)\s+((?:{_CAPITALISED})(?:\s+{_CAPITALISED}){{0,2}})")
_DEFINED = re.compile(
    rf"^\s+(?:(?:a|an|the|novel|new|simple)\s+)*((?:[A-Za-z][\w-]*\s+){{1,6}})\(({_SYSTEM}|[A-Z]{{3,}}s?)\)"
)
_OBJECT = re.compile(rf"^\s+({_SYSTEM})(?=[,:;.\s])")
_MINOR_WORDS = frozenset("of and the for with in on to a an via by".split())


def system_name(paper: Paper) -> str | None:
    """The paper's name for what it built: the title's ('HNeRV: ...'), or the one its abstract gives the
    object of 'We propose/introduce/present ...' ('CacheQuant', 'Generative Modeling with Explicit Memory
    (GMem)', 'a sampling method named Time-Shift Sampler'). A field's acronym ('GAN', 'LDM') is no name."""
    if paper.short_name:
        return paper.short_name
    from surveyor.text.sentences import split_sentences

    for sentence in split_sentences(paper.abstract):
        built = _BUILT.match(sentence.strip())
        if not built:
            continue
        rest = built.group("object")
        for found in (_object(rest), _defined(rest), _named_as(rest)):
            if found and len(found) >= 3 and not {found.upper(), found.upper().rstrip("S")} & _COMMON_ACRONYMS:
                return found
    return None


def _object(rest: str) -> str | None:
    """'propose CacheQuant, a ...': the name right after the verb."""
    match = _OBJECT.match(rest)
    return match.group(1) if match else None


def _defined(rest: str) -> str | None:
    """'introduce Generative Modeling with Explicit Memory (GMem)': an acronym of the words just before it."""
    match = _DEFINED.match(rest)
    if not match:
        return None
    acronym = match.group(2)
    capitals = [c for c in acronym.rstrip("s") if c.isupper()]
    words = re.findall(r"[A-Za-z]\w*", match.group(1).replace("-", " "))
    initials = iter(w[0].upper() for w in words if w.lower() not in _MINOR_WORDS)
    # its capitals, in order, open words of the phrase before it: 'Explicit Memory' ... 'GMem' (G..M)
    spelled = words and words[0][0].upper() == capitals[0] if capitals else False
    return acronym if len(capitals) >= 2 and spelled and all(c in initials for c in capitals) else None


def _named_as(rest: str) -> str | None:
    """'a sampling method named Time-Shift Sampler'."""
    match = _NAMED_AS.search(rest)
    if not match:
        return None
    acronym = re.match(rf"[\w\s-]{{0,40}}?\(({_SYSTEM}|[A-Z]{{3,}})\)", rest[match.start(1) :])
    # 'called DEeP Embedded RegularIzed ClusTering (DEPICT)': the acronym
    return acronym.group(1) if acronym else match.group(1)


class DraftNames(Names):
    """How a draft names papers: by the system's name (`system_name`), else by first author, else by a
    reference that varies within a paragraph ('One study', 'Another study', 'A further study', ...)."""

    ANONYMOUS = ("One study", "Another study", "A further study", "A related study", "Another approach")

    def __init__(self) -> None:
        super().__init__()
        self._in_paragraph = 0

    def new_paragraph(self) -> None:
        self._in_paragraph = 0

    def named(self, paper: Paper) -> bool:
        """Whether the paper has a name of its own (a system's or its authors')."""
        return bool(system_name(paper) or paper.authors)

    def give(self, paper: Paper, name: str, plural: bool) -> None:
        """Name the paper so, whatever it would have been called."""
        self._given[paper.paper_id] = (name, plural)

    def _name(self, paper: Paper) -> tuple[str, bool]:
        if self.named(paper):
            name = system_name(paper)
            return (name, False) if name else super()._name(paper)
        anonymous = self.ANONYMOUS[min(self._in_paragraph, len(self.ANONYMOUS) - 1)]
        self._in_paragraph += 1
        return anonymous, False


# "propose NAME, a ...": the sentence introduces the system its subject already names.
_NAMING_VERBS = ("propose", "introduce", "present", "develop", "design")


def introduce(sentence: str, paper: Paper, n: int, names: Names) -> str:
    """A draft's sentence on a paper: `third_person`, except that a sentence introducing the name its subject
    already gives says what it is ('CacheQuant [1] is a novel ...', not 'CacheQuant [1] proposes CacheQuant,
    a novel ...'; 'Embedded Representation Warmup (ERW) [2] is a plug-and-play ...'; 'Time-Shift Sampler [3]
    is a sampling method'). A name in lower case ('dKV-Cache') opens its sentence capitalised: the verifier
    tells sentences apart by their capitals."""
    text = third_person(sentence, paper, n, names)  # names the paper (once: a second call would be 'the same')
    subject, plural = names.given(paper)
    return text if plural else _said_once(text, subject[:1].upper() + subject[1:], n)


def _said_once(text: str, subject: str, n: int) -> str:
    marker, name = f"{subject} [{n}]", re.escape(subject)
    verb = rf"{re.escape(marker)} (?:{'|'.join(_NAMING_VERBS)})(?:s|es|d|ed)?"
    same = re.match(rf"{verb} (?i:{name})(?: \([^)]*\))?, (an?|the) ", text)
    if same:
        return f"{marker} is {same.group(1)} {text[same.end() :]}"
    spelled = re.match(
        rf"{verb} ((?:[A-Z][\w-]*\s+(?:(?:of|for|with|and|via|in|on)\s+)?){{1,7}})\((?i:{name})\), (an?|the) ", text
    )
    if spelled:
        return f"{spelled.group(1).strip()} ({subject}) [{n}] is {spelled.group(2)} {text[spelled.end() :]}"
    which = re.match(rf"{verb} (?i:{name}) \(([^()]{{2,20}})\),? which ", text)
    if which:  # 'MixOE [9] proposes Mixture Outlier Exposure (MixOE), which mixes' -> 'Mixture ... (MixOE) [9] mixes'
        return f"{subject} ({which.group(1)}) [{n}] {text[which.end() :]}"
    aside = re.match(rf"({verb} [^()]{{3,80}}?) \((?i:{name})\)", text)
    if aside:  # 'GMem [1] introduces Generative Modeling with Explicit Memory (GMem), ...': once is enough
        return aside.group(1) + text[aside.end() :]
    named = re.match(rf"{verb} (an?|the) ([^,;]{{3,80}}?),? (?:named|called|dubbed|termed) (?i:{name})(?=[,.;])", text)
    if named:
        return f"{marker} is {named.group(1)} {named.group(2)}{text[named.end() :]}"
    return text
