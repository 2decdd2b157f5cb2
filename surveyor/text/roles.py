"""Which abstract sentences describe prior work (background) and which the paper's own (contribution).

Abstracts open on the field and its shortcomings ("Existing methods ...", "It is common to ...") before
"We propose ...". A claim about a paper is only backed by what the paper says it did, so each sentence
is classified once, at ingest, and the roles are kept with the paper: one letter per sentence, 'b' or 'c'.
"""

from __future__ import annotations

import re
from functools import lru_cache

from surveyor.records import Paper
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import STOPWORDS, tokenize

BACKGROUND, CONTRIBUTION = "b", "c"
# The authors speaking of their own work (in the first person, or naming the paper).
_FIRST_PERSON = re.compile(r"\b(?:we|our|ours|us)\b|\b(?:this|the present) (?:paper|work|study|article)\b",
                           re.IGNORECASE)
_OWN = re.compile(
    r"\b(?:we|our|ours|us)\b|\b(?:this|the present|the proposed|our)\s+(?:paper|work|study|article|letter|report|"
    r"method|approach|framework|model|system|technique|algorithm)\b|\bhere,? we\b|\bexperiments?\b|"
    r"\b(?:this|the present)\s+(?:[\w-]+\s+(?:and\s+)?){0,3}?(?:survey|review|tutorial|overview)\b|"
    r"\b(?:results|evaluations?|analys[ie]s)\s+(?:show|demonstrate|indicate|reveal|suggest|confirm)\b|"
    r"\bcode (?:is|and \w+ are) (?:publicly )?available\b|"
    r"\b(?:is|are) (?:here )?(?:proposed|presented|introduced|developed|described)\b|"
    r"\b(?:proposes|presents|introduces|describes)\b",
    re.IGNORECASE,
)
# Words that mark a sentence as about others' work or the state of the field.
_PRIOR = re.compile(
    r"\b(?:existing|previous|prior|conventional|traditional|current|contemporary|earlier|standard|classical|"
    r"mainstream|popular|typical|state-of-the-art)\s+(?:\w+\s+){0,2}?(?:methods?|approaches|works?|models?|"
    r"techniques|systems|studies|solutions|algorithms|frameworks|baselines|research|literature)\b|"
    r"\b(?:it is|it has been|has been|have been|is|are) (?:common(?! to (?:multiple|both|all|many|several|each|"
    r"different|the two)\b)|commonly|widely|often|usually|typically|increasingly|generally)\b|"  # (not shared by)
    r"\brecent (?:work|works|studies|advances|progress|years)\b|\bremains? (?:a |an )?"
    r"(?:challenge|challenging|open|unclear|limited|difficult)\b|\bsuffer(?:s)? from\b|"
    r"\b(?:several|many|some|other|numerous) (?:recent )?(?:authors|studies|works|papers|researchers)\b|"
    r"\brecent (?:new )?(?:approaches|methods|models)\b",
    re.IGNORECASE,
)
# Words that credit a finding or a method to others ('has been shown to outperform', 'introduced by Tandon et
# al.'): such a sentence is background even where it names what the paper builds on. ('A natural connection
# with the theorem proposed by Takens' is the paper's own finding: 'proposed by' alone is not enough.)
_OTHERS = re.compile(
    r"\b(?:has|have) (?:recently )?been (?:shown|proposed|introduced|developed|demonstrated|studied|explored|"
    r"applied|used|reported|observed|suggested|considered)\b|\bet al\b|^to date\b",
    re.IGNORECASE,
)
# Naming a notion in the problem statement ('distributions, which we term sub-posteriors') is not the authors
# speaking of their own work.
_NOTATION = re.compile(r"\b(?:which |that )?we (?:term|call|refer to(?: as)?|denote|define as)\b", re.IGNORECASE)


# The authors observing what others do: 'We observed that the existing methods generate the weights ...'.
_OBSERVED_OF_OTHERS = re.compile(
    r"^(?:\w+,\s+)?we (?:observe|observed|note|noted|notice|noticed|find|found|see|saw) that (?:the |most |many )?"
    r"(?:existing|previous|prior|current|conventional|traditional|earlier|state-of-the-art|popular|typical)\b",
    re.IGNORECASE,
)


# Bumped whenever the classification changes: roles stored by an older version are classified again.
ROLES_VERSION = "14"  # v14: 'To date, X has been considered only ...' credits others; 'etc. Existing works' splits


def _speaks_of_prior(sentence: str) -> bool:
    """Whether the sentence speaks of prior work, other than as what a result is measured against
    ('Experiments ... achieve a new SOTA R2 of 0.93, which surpasses 0.59 by previous SOTA method')."""
    return any(not _MEASURED_AGAINST.search(sentence[: m.start()]) for m in _PRIOR.finditer(sentence))


# A result measured against something: what follows is the yardstick, not the subject.
_MEASURED_AGAINST = re.compile(r"\b(?:outperform\w*|surpass\w*|exceed\w*|beat|beats|than|compared (?:to|with)|"
                               r"improv\w* (?:on|over|upon)|against)\b", re.IGNORECASE)


def sentence_roles(paper: Paper) -> str:
    """The roles as stored with the paper: the version, ':', then one letter per sentence of the abstract
    (as `split_sentences` cuts it), 'b' background or 'c' contribution.

    Sentences before the authors first speak of their own work are background; after that a sentence is
    background only when it speaks of prior work without the authors or their system's name in it."""
    return f"{ROLES_VERSION}:{_classify(paper.short_name or '', paper.abstract)}"


def roles_of(paper: Paper) -> str:
    """One letter per abstract sentence: the stored roles when current, else classified now."""
    version, _, letters = paper.roles.partition(":")
    return letters if version == ROLES_VERSION and letters else sentence_roles(paper).partition(":")[2]


@lru_cache(maxsize=4096)
def _classify(short_name: str, abstract: str) -> str:
    sentences = split_sentences(abstract) or [abstract]
    others = [bool(_OTHERS.search(s)) for s in sentences]
    prior = [_speaks_of_prior(s) or c for s, c in zip(sentences, others)]
    # 'Existing methods often overlook X, which introduces Y': prior work, where only a verb sounded like theirs.
    own = [bool(_OWN.search(_NOTATION.sub(" ", s))) and (not p or bool(_FIRST_PERSON.search(s)))
           and not _OBSERVED_OF_OTHERS.search(s) for s, p in zip(sentences, prior)]
    # 'In this framework, communication is realized only between neighbours' after a sentence on the
    # message-passing framework: 'this framework' is the one just described, not the authors'.
    for i in range(1, len(sentences)):
        back = _BACK_TO.match(sentences[i])
        if (own[i] and not own[i - 1] and back and back.group(1).lower() in sentences[i - 1].lower()
                and not _FIRST_PERSON.search(sentences[i])):
            own[i] = False
        # 'This approach, however, depends on a proxy dataset' before the authors speak of their own work: the
        # limits of the approach just described.
        if own[i] and not any(own[:i]) and _FAULTED.match(sentences[i]) and not _FIRST_PERSON.search(sentences[i]):
            own[i] = False
    # The names the authors give their work ('we present FastRP') make later sentences about it theirs too.
    names = {short_name} if short_name else set()
    provisional = "".join(CONTRIBUTION if o else BACKGROUND for o in own)
    # (A name used before the authors speak of their work, like 'OOD', is the field's.)
    names |= {a or b for s, o in zip(sentences, own) if o for a, b in _NAMING.findall(s)
              if not _used_before(a or b, sentences, provisional)}
    mention = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + r")\b") if names else None
    # A name of theirs in a sentence crediting others ('GC, introduced by Tandon et al.') is the prior work's.
    own = [o or bool(mention and mention.search(s) and not c) for o, s, c in zip(own, sentences, others)]
    # A sentence on a method credited to others ('Gradient Coding (GC), introduced by Tandon et al.') is about it,
    # unless the authors speak in it: 'For the GC scheme, coding is only across computing nodes'.
    credited = {a for s, c in zip(sentences, others) if c for a in _ACRONYM.findall(s)} - names
    if credited:
        about = re.compile(rf"^(?:(?:for|in|with|under) (?:the )?)?(?:{'|'.join(map(re.escape, sorted(credited)))})\b",
                           re.IGNORECASE)
        prior = [p or (bool(about.match(s)) and not o) for p, s, o in zip(prior, sentences, own)]
    if not any(own):  # an abstract that never names its authors' work: only marked prior work is background
        return "".join(BACKGROUND if p else CONTRIBUTION for p in prior)
    first = own.index(True)
    roles = ""
    for i, (sentence, o, p, c) in enumerate(zip(sentences, own, prior, others)):
        # 'Such a structure can ... (a bound that generalizes the standard diffusion model)': a sentence going
        # on about what the authors just described is theirs, whatever it compares with.
        goes_on = i > first and own[i - 1] and _GOES_ON.match(sentence) is not None and not c
        roles += CONTRIBUTION if o or goes_on or (i > first and not p) else BACKGROUND
    return roles


_BACK_TO = re.compile(r"(?:In|Under|Within|For|With)\s+(?:this|such an?|these)\s+([\w-]+)", re.IGNORECASE)
_FAULTED = re.compile(r"(?:This|These|Such|That|Those)\s+(?:[\w-]+\s+){0,2}?[\w-]+,?\s+however\b", re.IGNORECASE)
_GOES_ON = re.compile(
    r"(?:This|These|Such|It|Its|They|Their|The resulting)\b(?!\s+(?:paper|work|study)\b)(?!.*\bhowever\b)",
    re.IGNORECASE,
)


# "we propose a lightweight optimization technique called ExFlow", "Magnitude Invariant Parametrizations (MIP)",
# "Our approach, Graph Metanetworks (GMNs), ...".
_NAMING = re.compile(
    r"\b(?:propose|proposes|proposed|present|presents|introduce|introduces|develop|develops|call|called|term|termed|"
    r"dub|dubbed|name|named|coined|(?i:our) (?:approach|method|model|framework|system|algorithm|architecture))\b"
    r"[^.;]{0,80}?(?:\(([A-Z][\w-]*[A-Z0-9][\w-]*)\)|\b((?:[A-Z][a-z]*){2,}[\w-]*|[A-Z][A-Za-z]*[A-Z][\w-]*)\b)"
)


# A plain capitalised word the authors name their work: 'a simpler first-order algorithm named Fish'.
_CALLED = re.compile(r"\b(?:named|called|dubbed|termed|coined)\s+([A-Z][a-z]{2,})\b")


def own_names(paper: Paper) -> tuple[str, ...]:
    """The names the paper gives its own work, the most telling first: the title's short name ('HNeRV: ...'),
    then names introduced in its contribution sentences, an acronym in parentheses before a capitalised
    word ('... Parametrizations (MIP)', 'we propose ... called ExFlow')."""
    return _own_names(paper.short_name or "", paper.abstract, roles_of(paper))


@lru_cache(maxsize=4096)
def _own_names(short_name: str, abstract: str, roles: str) -> tuple[str, ...]:
    abstract = _SUPERSCRIPT.sub(r"\1", abstract)  # 'KD^{3}' is written 'KD3'
    sentences = split_sentences(abstract) or [abstract]
    naming = [s for s, role in zip(sentences, roles) if role == CONTRIBUTION and _NAMING.search(s)]
    found = [match for sentence in naming for match in _NAMING.findall(sentence)]
    acronyms = [a for sentence in naming for a in _ACRONYM.findall(sentence)]
    own = [s for s, role in zip(sentences, roles) if role == CONTRIBUTION]
    acronyms += [a for sentence in own for a in _APPOSED.findall(sentence) if a.lower() not in STOPWORDS]
    names = [a for a, _ in found if a] + acronyms + [word for a, word in found if not a]
    names += [e for sentence in naming for e in _expansions(sentence)]
    names += [n for sentence in own for n in _CALLED.findall(sentence) if n.lower() not in STOPWORDS]
    names = [n for n in names if not _used_before(n, sentences, roles)]
    names = ([short_name] if short_name else []) + names
    return tuple(n for n in dict.fromkeys(names)
                 if 2 <= len(n) <= 24 and n.upper() not in _NOT_NAMES and not _SPELLING.fullmatch(n))


_SUPERSCRIPT = re.compile(r"\^\{(\w+)\}")


def named_in_own_part(paper: Paper) -> tuple[str, ...]:
    """Names written in mixed case ('DEpS', 'FedDisco') that only the paper's own sentences use: the
    paper's name, however its naming sentence spelled it ('Delayed epsilon-Shrinking (DepsilonpS)')."""
    return _named_in_own_part(paper.abstract, roles_of(paper))


@lru_cache(maxsize=4096)
def _named_in_own_part(abstract: str, roles: str) -> tuple[str, ...]:
    sentences = split_sentences(abstract) or [abstract]
    own = " ".join(s for s, role in zip(sentences, roles) if role != BACKGROUND)
    prior = " ".join(s for s, role in zip(sentences, roles) if role == BACKGROUND)
    return tuple(n for n in dict.fromkeys(_MIXED_CASE.findall(own)) if not re.search(rf"\b{re.escape(n)}\b", prior))


_MIXED_CASE = re.compile(r"\b(?:[A-Z]{2,}[a-z]+[A-Za-z]*|[A-Z][a-z]+[A-Z][A-Za-z]*)\b")


def introduced(paper: Paper) -> tuple[str, ...]:
    """What the paper's own sentences say the authors introduce, in a few words no background sentence uses ('we
    introduce the Wasserstein dependency measure, which ...'): the paper's thing, named in lower case too."""
    return _introduced(paper.abstract, roles_of(paper))


@lru_cache(maxsize=4096)
def _introduced(abstract: str, roles: str) -> tuple[str, ...]:
    sentences = split_sentences(abstract) or [abstract]
    prior = " ".join(s for s, role in zip(sentences, roles) if role == BACKGROUND).lower()
    found = (m.group(1) for s, role in zip(sentences, roles) if role == CONTRIBUTION for m in _INTRODUCES.finditer(s))
    return tuple(n for n in dict.fromkeys(found) if 2 <= len(n.split()) <= _INTRODUCED_WORDS and n.lower() not in prior
                 and not _UNNAMED.match(n) and tokenize(n.split()[-1]))


# 'we introduce the Wasserstein dependency measure, which ...', 'we propose a novel sampler.'
_INTRODUCES = re.compile(r"\b[Ww]e (?:introduce|propose|present|develop|design)\s+(?:(?:the|a|an|new|novel)\s+)*"
                         r"((?:[\w-]+\s+){0,3}[\w-]+)(?=\s*(?:[,.;:(]|\s(?:which|that|to|for|as|with|in|based)\b))")
# What names no one thing: 'our findings', 'two schemes', 'this work'.
_UNNAMED = re.compile(r"(?:our|this|these|its|their|some|several|two|three|four|multiple|\d)\b", re.IGNORECASE)
_INTRODUCED_WORDS = 4


# A name set beside what the authors made ('We describe Sparsey, an unsupervised ...', '... an efficient
# transformer encoder model, MoLFormer, which uses ...').
_APPOSED = re.compile(
    r"(?:\b[Ww]e (?:describe|present|propose|introduce|develop|design|build)\s+|"
    r"\b(?:model|method|framework|approach|system|algorithm|architecture|network|encoder|library|tool),\s+)"
    r"([A-Z][\w-]*[A-Za-z0-9](?:\s+[A-Z][\w-]*[A-Za-z0-9]){0,2}),\s+(?:an?|the|which|that|where|in which)\b"
)
# 'DIstributed PAth COmposition (DiPaCo)': a word capitalised to spell an acronym, not a name.
_SPELLING = re.compile(r"[A-Z]{2}[a-z]{3,}")


def _used_before(name: str, sentences: list[str], roles: str) -> bool:
    """Whether the abstract used the name before the authors spoke of their work: the field's term ('OOD')."""
    first = roles.find(CONTRIBUTION)
    return re.search(rf"\b{re.escape(name)}\b", " ".join(sentences[: max(first, 0)])) is not None


def _expansions(sentence: str) -> list[str]:
    """'we introduce Equivariant Encryption (EE)' -> ['Equivariant Encryption']: the words before an acronym in
    parentheses whose initials spell it (its last letters may come from inside the last word)."""
    found = []
    for match in _ACRONYM.finditer(sentence):
        letters = [c for c in match.group(1) if c.isupper()]
        before = re.findall(r"[\w-]+", sentence[: match.start()])
        for k in range(len(letters), 1, -1):  # 'Graph Metanetworks (GMNs)': the last word may hold several
            words = before[-k:]
            rest = "".join(letters[k:]).lower()
            if (len(words) == k and all(w[0].upper() == c for w, c in zip(words, letters))
                    and _in_order(rest, words[-1][1:])):  # ('named directed chain GANs (DC-GANs)')
                found.append(" ".join(words))
                break
    return found


def _in_order(letters: str, word: str) -> bool:
    """Whether the letters occur in the word in this order ('n' in 'etanetworks')."""
    remaining = iter(word.lower())
    return all(c in remaining for c in letters)


# 'REPresentation Alignment (REPA)': the acronym a naming sentence defines.
_ACRONYM = re.compile(r"\(([A-Z][\w-]*[A-Z0-9][\w-]*)\)")
# Capitalised words that follow "propose" but name no system.
# The field's words and measures, which no paper owns ('FID', 'DDPM', 'NFEs').
_NOT_NAMES = frozenset("AI ML DL LLM LLMS GPU GPUS CPU NLP CV RL API SOTA FID PSNR SSIM LPIPS BLEU ROUGE AUC AUROC "
                       "AUPR MSE MAE RMSE NFE NFES FLOP FLOPS TFLOPS MACS DDPM DDPMS DDIM SGD".split())
