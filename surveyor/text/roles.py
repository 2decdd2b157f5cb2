"""Which abstract sentences describe prior work (background) and which the paper's own (contribution).

Abstracts open on the field and its shortcomings ("Existing methods ...", "It is common to ...") before
"We propose ...". A claim about a paper is only backed by what the paper says it did, so each sentence
is classified once, at ingest, and the roles are kept with the paper: one letter per sentence, 'b' or 'c'.
"""

from __future__ import annotations

import re

from surveyor.records import Paper
from surveyor.text.sentences import split_sentences

BACKGROUND, CONTRIBUTION = "b", "c"
# The authors speaking of their own work.
_OWN = re.compile(
    r"\b(?:we|our|ours|us)\b|\b(?:this|the present|the proposed|our)\s+(?:paper|work|study|article|letter|report|"
    r"method|approach|framework|model|system|technique|algorithm)\b|\bhere,? we\b|\bexperiments?\b|"
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
    r"\b(?:it is|it has been|has been|have been|is|are) (?:common|commonly|widely|often|usually|typically|"
    r"increasingly|generally)\b|\brecent (?:work|works|studies|advances|progress|years)\b|\bremains? (?:a |an )?"
    r"(?:challenge|challenging|open|unclear|limited|difficult)\b|\bsuffer(?:s)? from\b",
    re.IGNORECASE,
)


def sentence_roles(paper: Paper) -> str:
    """One letter per sentence of the abstract (as `split_sentences` cuts it): 'b' background, 'c' contribution.

    Sentences before the authors first speak of their own work are background; after that a sentence
    is background only when it speaks of prior work without the authors or the paper's name in it."""
    name = paper.short_name
    own_name = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE) if name else None
    sentences = split_sentences(paper.abstract) or [paper.abstract]
    own = [bool(_OWN.search(s) or (own_name and own_name.search(s))) for s in sentences]
    prior = [bool(_PRIOR.search(s)) for s in sentences]
    if not any(own):  # an abstract that never names its authors' work: only marked prior work is background
        return "".join(BACKGROUND if p else CONTRIBUTION for p in prior)
    first = own.index(True)
    return "".join(
        CONTRIBUTION if o or (i > first and not p) else BACKGROUND for i, (o, p) in enumerate(zip(own, prior))
    )
