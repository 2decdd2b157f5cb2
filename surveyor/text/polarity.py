"""Which terms a text negates: 'X does not outperform Y' negates 'outperform'; 'without any fine-tuning or
accuracy degradation' negates 'fine-tuning', 'accuracy' and 'degradation'.

A negation reaches the next few content words of its clause (up to a comma, a contrastive or
subordinating conjunction, or 'and'), which is what a claim and its source have to agree on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from surveyor.text.tokens import STOPWORDS, aligned, same_term, tokenize

# Words that negate what follows them.
NEGATORS = frozenset(
    "not no never cannot neither nor without none nothing nobody nowhere unable lack lacks lacking lacked fail fails "
    "failed failing hardly barely rarely seldom avoid avoids avoided avoiding eliminate eliminates eliminated "
    "eliminating remove removes removed removing removal ignore ignores ignored ignoring neglect neglects neglected "
    "neglecting overlook overlooks overlooked overlooking discard discards discarded discarding omit omits omitted "
    "omitting insufficient insufficiently unnecessary impossible ineffective inefficient inaccurate incorrect "
    "inconsistent unreliable unsuccessful inadequate incapable infeasible impractical unlikely insensitive unaffected "
    "unchanged absent absence lose loses losing sacrifice sacrifices sacrificed sacrificing forgo forgoes forgoing "
    "zero sidestep sidesteps sidestepped sidestepping circumvent circumvents circumvented circumventing bypass "
    "bypasses bypassed bypassing skips skipped skipping abstracting struggle struggles struggled struggling".split()
)
# 'more affected by a loss of connectivity' says what 'losing connectivity hurt more' says ('without any loss of
# accuracy' is read by _HARMING: 'losing' right after a denial keeps what follows).
_LOSS_OF = re.compile(r"\b(?:an?|any|the) loss of\b")
# 'when LMC does or does not arise', 'whether or not': either way, no denial.
_WHETHER = re.compile(r"\b(\w+) or \1\s*(?:not|n't)\b|\bor not\b")
# 'fail out of distribution' is 'failure in out-of-distribution scenarios'.
_OUT_OF = re.compile(r"\bout of distribution\b")
# 'cannot do so without introducing parameters': the second denial makes it need them.
_NOT_WITHOUT = re.compile(r"\b(?:cannot|can't|can not|could not|couldn't|unable to|impossible to)\s+"
                          r"((?:[\w-]+\s+){0,4}?)without\b")
# 'resulting in generalization failure under distribution shifts': a failure of generalization.
_FAILURE_OF = re.compile(r"\b(?!(?:caus|lead|result|induc|produc|trigger|yield|bring)ing\b)([a-z-]+(?:tion|ing|ment))"
                         r"\s+(failures?)\b")  # ('causing failure' is no failure of causing)
# 'this gap remains even with existing methods': they do not close it.
_GAP_REMAINS = re.compile(r"\b(gap|discrepancy|disparity)\s+(?:remains|persists|still exists|is still present)\b")
# 'vectors of equal length regardless of how many samples each class has' do not depend on it.
_REGARDLESS = re.compile(r",?\s*\b(?:regardless|irrespective|independent(?:ly)?) of\b")
# 'almost no overhead' says as much as 'near-zero overhead' or 'minimal overhead': no denial.
_NEAR_NONE = re.compile(r"\b(?:almost|nearly|near|virtually|practically)[\s-]+(?:no|zero|none)\b|\bhardly any\b")
# 'drops normalization layers' removes them ('accuracy drops by 2%', 'drops sharply' move, deny nothing).
_DROPPING = re.compile(r"\b(?:drops|dropped|dropping)\s+(?=(?:the|all|its|their|any)?\s*[a-z][\w-]*(?<!ly)\b)"
                       r"(?!(?:by|to|from|in|below|under|off|out|significantly|sharply|slightly)\b)")
# 'attribute multi-subject failures to semantic leakage': failures blamed on something, not a failure to do it.
_BLAMED = re.compile(r"\b(attribut\w*|ascrib\w*|trac\w*|blam\w*)\s+((?:[\w-]+\s+){0,3}?)failures?\s+(to)\b")
# 'leaving local-level performance aside' neglects it.
_LEFT_ASIDE = re.compile(r"\bleav(?:e|es|ing)\s+((?:[\w-]+\s+){0,3}?[\w-]+)\s+aside\b")
# 'under which representation learning is eliminated': eliminates representation learning.
_DONE_AWAY_PASSIVE = re.compile(r"\b((?:(?!(?:which|that|it|this|they)\b)[\w-]+\s+){1,2}?)(?:is|are|was|were|gets?|got)\s+"
                             r"(eliminated|removed|ignored|discarded|neglected|omitted|lost|overlooked|skipped)\b")
# Words that open a clause of its own after 'or'/'and', rather than a list's last item.
_SUBJECTS = frozenset("they it we he she this these those there one i you".split())
# Verbs of harming: right after a denial, they deny it back ('without compromising accuracy' keeps accuracy).
_HARMING = ("compromis", "degrad", "hurt", "harm", "impair", "damag", "affect", "sacrific", "los", "fail")
# Verbs of losing deny what they lose ('losing the memory efficiency'), unless they say how much is lost.
_LOSING = frozenset("lose loses losing sacrifice sacrifices sacrificed sacrificing".split())
_FAILING = frozenset("fail fails failed failing".split())
# What a doing-away verb's 'to' goes on with: 'avoids having to recompute', 'removes the ability to adapt'.
_HAVING_TO = frozenset("having ability able attempt attempts way ways".split())
_FAILURE_OF_IT = re.compile(r"\bfailures? of\b")
# Negating nouns that deny only what follows their 'of' ('removal of the encoder').
_OF_NOUNS = frozenset({"removal", "absence"})
# How much is lost: 'losing only 0.02 in CLIP score'.
_ROUGHLY = frozenset("only just merely about around approximately roughly less under nearly almost".split())
# Verbs of inquiry: what they ask 'if' of is not denied ('analyzing if attacks fail to transfer').
_ASKING = ("analy", "stud", "investigat", "examin", "ask", "test", "check", "explor", "assess", "evaluat", "determin")
# Negating verbs of doing away with something, whose means ('by distributing ...') they do not deny.
_DOING_AWAY_VERBS = ("avoid", "eliminat", "remov", "prevent", "sidestep", "circumvent", "bypass", "skip")
_DOING_AWAY = (*_DOING_AWAY_VERBS, "discard", "omit", "forgo")
# Phrases that negate like a single word ("challenges the belief that X" says not X, "argues against X").
_NEGATING_PHRASES = re.compile(
    r"\b(?:failures? (?=to|in|on)|free of|(?:fall|falls|fell|falling) (?:well |far |\w+ly )?short (?:of|in)|"
    r"pa(?:y|ys|id|ying) (?:little|less|no) attention to|contrary to|"
    r"challeng(?:e|es|ed|ing) (?:the |this |that )?(?:common |widely held |prevailing |conventional )?"
    r"(?:belief|assumption|view|notion|wisdom)(?: that)?|debunk\w*|dispel\w*(?: the myth)?(?: that)?|"
    r"(?:argu|advis|warn|caution|recommend|decid)(?:e|es|ed|ing|s)? against|"
    r"mov(?:e|es|ed|ing) away from|(?:do|does|did|doing) away with|dispens(?:e|es|ed|ing) with|"
    r"trad(?:e|es|ed|ing) away|(?:give|gives|gave|giving) up|"
    r"steer(?:s|ed|ing)? clear of)\b",
    re.IGNORECASE,
)
# "A rather than B", "A instead of B", "A, not B", "A outperforms B", "unlike B": B is the alternative set
# aside or compared against, which the source may well describe in its own right; its words are not judged.
_ALTERNATIVE = re.compile(
    r"\b(?:rather than|instead of|as opposed to|in place of|unlike|compared (?:to|with)|than)\b|,\s*not\b(?!\s+only)",
    re.IGNORECASE,
)
# Verbs whose object is what is compared against: the verb is asserted (or negated), its object set aside.
_COMPARING = re.compile(r"\b(?:outperform|surpass|exceed|beat)\w*", re.IGNORECASE)
# "not only X but also Y" asserts X; "X is not the only way to Y" asserts that X is one.
_NOT_ONLY = re.compile(r"\bnot\s+(?:the\s+)?(?:only|just|merely|necessarily)\b", re.IGNORECASE)
# Where a negation's reach ends.
_SCOPE_END = frozenset(
    "and but while whereas although though yet so because since which that when where if unless however "
    "thus hence therefore then regardless irrespective".split()  # 'data the other lacks | regardless of accuracy'
)
_SCOPE_WORDS = 4
# Verbs whose 'that' opens what they say ('does not show that X'), not a thing they act on ('utilize that power').
_REPORTING = frozenset("show shows showed shown find finds found prove proves proved demonstrate demonstrates "
                       "demonstrated suggest suggests suggested imply implies implied indicate indicates indicated "
                       "mean means meant guarantee guarantees guaranteed ensure ensures ensured say says said think "
                       "thinks believe believes know knows claim claims assume assumes assumed require requires "
                       "expect expects hold holds argue argues note notes observe observes".split())
# Negators that take a noun phrase ('without labels on abundant data'): their reach ends at a preposition,
# unless the noun is an effect, which is said of what follows ('no gains on transfer tasks').
_NOUN_NEGATORS = frozenset("without no zero lack lacks lacking lacked absence".split())
_EFFECTS = frozenset("gain gains improvement improvements benefit benefits advantage advantages effect effects impact "
                     "speedup speedups boost".split())
# Nouns a denial passes through to what follows their preposition ('without the need for any model compression').
_NEEDS = frozenset("need needs use access reliance requirement requirements help recourse".split())
_ALTERNATIVE_WORDS = 4
# ('insufficient for the generalization of the student' does deny that it generalizes.)
_NEEDFUL = frozenset("necessary needed required essential crucial critical vital indispensable".split())
_PREPOSITIONS = frozenset("in on at for by with across over under during within via through from".split())
_WORD = re.compile(r"_?[a-z0-9]+(?:'[a-z]+)?(?:-[a-z0-9]+)*|[,;:.()?!]")


@dataclass(frozen=True)
class Polarity:
    """A text's content terms, and the groups of them each negation reaches."""

    terms: frozenset[str]
    scopes: tuple[frozenset[str], ...]
    plain: frozenset[str] = frozenset()  # the terms it says at least once where no negation reaches

    @property
    def negated(self) -> frozenset[str]:
        return frozenset().union(*self.scopes)


@lru_cache(maxsize=8192)
def polarity(text: str) -> Polarity:
    terms: set[str] = set()
    plain: set[str] = set()
    scopes: list[set[str]] = []
    text = _BLAMED.sub(r"\1 \2failings \3", text.lower())  # 'attribute failures to X' denies nothing
    text = _FAILURE_OF.sub(r"\2 of \1", text)  # 'generalization failure' is a failure to generalize
    text = _LOSS_OF.sub(" losing ", _OUT_OF.sub("out-of-distribution", _WHETHER.sub(" ", text)))
    text = _NOT_WITHOUT.sub(lambda m: f"{m.group()[: -len('without')]}; needs", text)
    text = _GAP_REMAINS.sub(r"\1 is not closed", _REGARDLESS.sub("; not depending on", text))
    text = _NEAR_NONE.sub(" minimal ", text)
    # 'failure of generalization under distribution shifts': the generalization fails, not the shifts.
    text = _NEGATING_PHRASES.sub(" not ", _NOT_ONLY.sub(" ", _FAILURE_OF_IT.sub("absence of", text)))
    text = _DROPPING.sub(" removes ", _LEFT_ASIDE.sub(r"neglecting \1", _DONE_AWAY_PASSIVE.sub(r"\2 \1", text)))
    text = _COMPARING.sub(lambda m: f"{m.group()} _compared", _ALTERNATIVE.sub(" _alternative ", text))
    reach = skip = depth = opened_at = 0
    compared = listing = nominal = asking = doing_away = False
    words = _WORD.findall(text)
    for at, word in enumerate(words):
        if word == "whether" or (word == "if" and at and words[at - 1].startswith(_ASKING)):
            asking = True  # 'analyzing if attacks fail to transfer': asked, not denied
        elif not word[0].isalnum() and word not in "()":
            asking = False
        if (word == "to" and doing_away and reach and scopes and scopes[-1]
                and words[at - 1] not in _NEEDS and words[at - 1] not in _HAVING_TO):
            reach = 0  # 'removes this component to speed up generalization': the purpose is not done away with
        if word == "by" and doing_away and reach:
            reach = 0  # 'avoids collapse by distributing features', 'noise removed by a filter': the means is not
        # (', and fall back onto a prior' right after the first item: a clause of its own, not a list's last item)
        if (word == "," and reach and (listing or words[at + 1 : at + 2] not in (["and"], ["or"]))
                and _goes_on_listing(words, at)):
            listing = True  # 'without data aggregation, feature engineering, or model training': all of them
            reach = _SCOPE_WORDS
            continue
        if listing and word in ("and", "or", "nor"):
            reach = _SCOPE_WORDS
            continue
        if word in ("(", ")"):  # 'to avoid massive (O(N^2)) communication': a parenthesis is read through, but
            depth += 1 if word == "(" else -1  # a denial inside one ends with it ('(without guidance) of a model')
            if reach and depth < opened_at:
                reach = 0
            continue
        if word == "that" and reach == _SCOPE_WORDS - 1 and at and words[at - 1] not in _REPORTING:
            continue  # 'cannot utilize that power efficiently': 'that' points, it opens no clause
        if word in _SCOPE_END or not word[0].isalnum():
            reach = 0
            listing = False
            # 'outperforming A and B', 'rather than on architecture, dataset or training protocol': all set aside
            going_on = word == "," and skip > 0 and _goes_on_listing(words, at)
            skip = _ALTERNATIVE_WORDS if going_on else skip if word in ("and", "or") else 0
        if word in _PREPOSITIONS and nominal and reach < _SCOPE_WORDS:
            reach = 0  # 'pre-trained without labels on abundant telemetry': the labels are what is missing
        if word == "for" and reach and words[at - 1] in _NEEDFUL:
            reach = 0  # 'not necessary for good performance': what it is needed for is not denied
        if word in _PREPOSITIONS and compared:
            skip = 0  # 'outperforms implicit methods in video regression': the object ends at 'in' (where
            # 'rather than through random search' sets aside what follows 'through')
        if word in ("_alternative", "_compared"):
            skip, compared = _ALTERNATIVE_WORDS, word == "_compared"
            continue
        if word in _LOSING and any(w[0].isdigit() for w in words[at + 1 : at + 3]) and (
                words[at + 1][0].isdigit() or words[at + 1] in _ROUGHLY):
            continue  # 'loses 8.2%', 'losing only 0.02': how much, not a denial
        if word.startswith(_HARMING) and reach == _SCOPE_WORDS and scopes and not scopes[-1]:
            # Two denials in a row affirm: 'without sacrificing quality', 'does not fail to converge', 'without
            # compromising accuracy' keep what follows.
            scopes.pop()
            reach = 0
            continue
        if word in _QUALITIES and at + 1 < len(words) and _names_a_thing(words[at + 1]):
            continue  # 'exclude unreliable samples': the samples are there ('reliable' is met by its prefix)
        if word in _OF_NOUNS and words[at + 1 : at + 2] != ["of"]:
            pass  # 'handcrafted layer removal methods': what is removed came before, and nothing after is
        elif word in _FAILING and (at + 1 == len(words) or words[at + 1] in ("or", "and")
                                   or not words[at + 1][0].isalnum()):
            pass  # 'when peers fail or join': an event, no denial of what follows
        elif (word in NEGATORS or word.endswith("n't")) and not asking:
            reach, nominal, doing_away = _SCOPE_WORDS, word in _NOUN_NEGATORS, word.startswith(_DOING_AWAY)
            opened_at = depth
            scopes.append(set())
            continue
        if word in STOPWORDS or word == "even" or not word[0].isalnum():  # ('is not closed even with X': X is)
            continue
        if skip:
            skip -= 1
            continue
        if word.endswith("-free") and len(word) > 5:  # 'training-free': no training
            scopes.append(set(tokenize(word[:-5])))
            terms.update(scopes[-1])
            continue
        if reach == _SCOPE_WORDS and nominal and (word in _EFFECTS or word in _NEEDS or word.endswith("ing")):
            nominal = False  # ('without relying on a latent hierarchy': what it relies on is what is missing)
        for term in tokenize(word):
            terms.add(term)
            if reach:
                scopes[-1].add(term)
            else:
                plain.add(term)
        if reach:
            reach -= 1
    return Polarity(frozenset(terms), tuple(frozenset(s) for s in scopes if s), frozenset(plain))


# Negative adjectives that, before a noun, say what kind of thing it is rather than that it is missing.
_QUALITIES = frozenset("unnecessary insufficient ineffective inefficient inaccurate incorrect inconsistent unreliable "
                       "unsuccessful inadequate infeasible impractical insensitive".split())


def _names_a_thing(word: str) -> bool:
    """Whether `word` can be the noun (or its modifier) after an adjective: not a function word, an adverb or
    punctuation."""
    return word[0].isalnum() and word not in STOPWORDS and word not in _SCOPE_END and not word.endswith("ly")


# Words that open what a participle acts on (', making it fast', ', yielding the best ...'): the participle opens a
# clause, where one followed by 'and' or a noun is a list's item ('with pooling, broadcasting and ...').
_OBJECT_OPENERS = frozenset("the a an it its their them this these that those to our his her all each every".split())


def _goes_on_listing(words: list[str], comma: int) -> bool:
    """Whether the comma at `comma` goes on with a list closed by 'or'/'and'/'nor' ('X, Y, or Z') before
    the clause ends (a list of things: an item opening on a participle is a clause)."""
    following = words[comma + 1 : comma + 1 + 2 * _SCOPE_WORDS]
    if following and following[0] in _SUBJECTS:
        return False  # ', they control feature collapse and ...': a clause with a subject of its own
    if following and following[0].endswith(("ing", "ed")) and (len(following) < 2 or following[1] in _OBJECT_OPENERS):
        return False  # ', making it fast and cheap': a clause of its own, not an item ('pooling, broadcasting and')
    for at, word in enumerate(following):
        if word in ("or", "and", "nor"):
            # ', or they consider ...': a clause with a subject of its own, not the list's last item
            return at + 1 < len(following) and following[at + 1] not in _SUBJECTS
        if (word in _SCOPE_END or not word[0].isalnum()) and word not in ",()":
            return False
    return False


def flipped(claim: str, source_sentences: list[str], ignore: frozenset[str] = frozenset()) -> str | None:
    """A term the claim negates where the source asserts it, or asserts where the source negates it
    ('sufficient' where the source only says 'insufficient' counts too).

    Judged against the source sentences that say most of what the claim says (not a word met elsewhere in
    the abstract), and by the whole group of terms a negation reaches: it flips only when the other side
    negates none of them ('incurs no accuracy loss' agrees with 'does not incur any accuracy loss'). A
    clause of the claim that rewords a sentence is held to it even where the whole claim rewords none."""
    opposite = (_prefixed_opposite(claim, source_sentences) or _free_but_required(claim, source_sentences)
                or _denied_of_the_other(claim, source_sentences)
                or _denied_opposites(polarity(claim), _aligned(claim, source_sentences, ignore), ignore)
                or _asserted_where_denied(claim, source_sentences, ignore) or _not_every(claim, source_sentences)
                or _denied_alike(claim, source_sentences)
                or _asserted_opposite(claim, source_sentences, ignore))
    if opposite:
        return opposite
    parts = _CLAUSE_BREAK.split(claim)
    # What a stretch of the claim negates as the sentence it rewords does ('and by avoiding computation at
    # unnecessary locations' against 'to avoid redundant computation at unnecessary spatial locations').
    stretches = [p for p in _STRETCH_BREAK.split(claim) if polarity(p).scopes]
    agreed = frozenset(t for part in stretches for t in _negated_alike(part, source_sentences, ignore))
    agreed |= _denied_elsewhere(claim, source_sentences, ignore) | _remedied(claim, source_sentences)
    found = _flipped(claim, source_sentences, ignore, agreed)
    clauses = [c for c in parts if len(set(tokenize(c)) - ignore) >= _CLAUSE_TERMS and polarity(c).scopes]
    for clause in clauses if not found and len(parts) > 1 else []:  # 'Because ..., CDMs cannot support X'
        # A short clause is matched by any sentence that has its words: what the source denies or sets aside
        # anywhere ('rather than the dimension reduction method') is not asserted by the others.
        aside = frozenset().union(*(set_aside(s) for s in source_sentences))
        held = agreed.union(*(scope for scope in polarity(clause).scopes if len(scope & aside) >= 2))
        found = _flipped(clause, source_sentences, ignore, held)
        if found:
            break
    return None if found and _denied_of_the_same(claim, source_sentences, ignore) else found


def _asserted_where_denied(claim: str, source_sentences: list[str], ignore: frozenset[str]) -> str | None:
    """What a denial of the source is about (the last thing it reaches: 'barriers' in 'deep networks do not have
    layer-wise barriers between them') that the claim asserts of the same thing ('deep networks exhibit
    pronounced layer-wise barriers': two words of what the denial is said of) and the source asserts nowhere."""
    mine = polarity(claim)
    asserted = mine.plain - mine.negated - ignore
    said = frozenset().union(*(polarity(s).plain for s in source_sentences))
    for sentence in source_sentences:
        theirs = polarity(sentence)
        of_it = any(len(subject & asserted) >= _SAID_OF for subject in _denial_subjects(sentence, ignore))
        places = list(enumerate(tokenize(sentence)))
        order = {t: i for i, t in places}  # each term's last place, and its first
        first_at = {t: i for i, t in reversed(places)}
        for scope in theirs.scopes:
            if len([t for t in scope - ignore if _has(mine.negated, t)]) >= _SAID_OF:
                continue  # the claim makes the same denial ('do not differ significantly'), of its own words
            head = max(scope - ignore - _LIGHT_VERBS - _GENERIC, key=lambda t: order.get(t, -1), default=None)
            # (Or the claim says most of the rest of the sentence: 'We present FastComposer which enables efficient,
            # personalized ... generation without fine-tuning' against 'FastComposer personalizes generation by
            # performing fine-tuning'.)
            rest = theirs.terms - scope - ignore
            if (head is not None and _has(asserted, head) and not _has(said, head)
                    and (of_it or len(rest & asserted) >= _REWORDED)):
                return head
            # (Or the claim asserts the whole of what the denial reaches, its first word never said plainly: 'still
            # requires reprocessing the gallery images' against 'no reprocessing of gallery images'.)
            whole = scope - ignore - _GENERIC
            first = min(whole, key=lambda t: first_at.get(t, len(first_at)), default=None)
            if (len(whole) >= _WHOLE and first is not None and not _has(said, first)
                    and all(_has(asserted, t) for t in whole)):
                return first
    return None


_WHOLE = 3


_SAID_OF = 2
_REWORDED = 3


def _not_every(claim: str, source_sentences: list[str]) -> str | None:
    """'any distribution suffices' where the source has 'not any distribution is feasible': what holds of every
    one of a kind in the claim, the source denies holds of every one."""
    denied = {t for s in source_sentences for m in _NOT_EVERY.finditer(s) for t in tokenize(m.group(1))[:1]}
    if not denied:
        return None
    claimed = {t for m in _EVERY.finditer(claim) for t in tokenize(m.group(1))[:1]}
    return next((t for t in sorted(claimed) if _has(frozenset(denied), t)), None)


# ('not all layers are equally important' says less: a claim on 'all layers' may well be faithful.)
_NOT_EVERY = re.compile(r"\bnot (?:just )?(?:any|every)\s+([\w-]+)", re.IGNORECASE)
_EVERY = re.compile(r"(?<!\bnot )(?<!\bnot just )\b(?:any|every)\s+([\w-]+)", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _elided_of(sentence: str) -> frozenset[str]:
    """What a denial that leaves out what it denies is said of ('..., while scaled random initializations cannot')."""
    return frozenset(t for m in _ELIDED.finditer(sentence) for t in tokenize(m.group("other")))


def _denied_of_the_other(claim: str, source_sentences: list[str]) -> str | None:
    """What a denial that leaves it out denies ('A can find X, while B cannot'), asserted by the claim of the thing
    it is denied of ('B, just like A, can find X'): its first word and another, and two words of the thing."""
    mine = polarity(claim)
    asserted = mine.plain - mine.negated
    for match in (m for s in source_sentences for m in _ELIDED.finditer(s)):
        done = tokenize(match.group("done") or match.group("also_done"))[:_SCOPE_WORDS]
        other = set(tokenize(match.group("other")))
        if (done and _has(asserted, done[0]) and len([t for t in other if _has(asserted, t)]) >= min(2, len(other))
                and len([t for t in done if _has(asserted, t)]) >= min(2, len(done))):
            return done[0]
    return None


# 'unsupervised pretraining can find this class of conditions, while scaled random initializations cannot'; 'while
# these subspaces are common to multiple networks, the specific basis vectors learned are not'.
_AUXILIARY = r"(?:can|could|do|does|did|is|are|was|were|will|would|has|have)"
_ELIDED = re.compile(
    rf"\b(?:{_AUXILIARY}\s+(?P<done>[^,;]+?),?\s+(?:while|whereas|but)|"
    rf"(?:while|whereas|although|though)\s+[^,;]+?\s+{_AUXILIARY}\s+(?P<also_done>[^,;]+?),)\s+"
    rf"(?P<other>[^,;.]+?)\s+(?:cannot|can't|can not|could not|couldn't|{_AUXILIARY}(?: not|n't))\s*(?=[.;]|$)",
    re.IGNORECASE,
)


# 'to avoid front-face entanglement' says what 'addresses front-face entanglement' says: the thing is a problem
# the method does away with.
_DONE_AWAY = re.compile(rf"\b(?:{'|'.join(_DOING_AWAY_VERBS)}|get(?:s|ting)? rid of)\w*\s+"
                        r"((?:[\w-]+\s+){0,6}[\w-]+)",  # (as far as a denial reaches, stopwords and all)
                        re.IGNORECASE)
_REMEDY = re.compile(r"\b(?:address|mitigat|alleviat|tackl|resolv|overcom|prevent|suppress|solv|reduc|combat|"
                     r"eliminat|remov|avoid)\w*\s+((?:[\w-]+\s+){0,5}[\w-]+)", re.IGNORECASE)


def _remedied(claim: str, source_sentences: list[str]) -> frozenset[str]:
    """What the claim says the paper avoids or removes that the source says it addresses or mitigates, or calls a
    cost ('computationally expensive to calculate the per-task loss or gradient'): two words of it, or its only one."""
    remedied = [set(tokenize(m.group(1))) for s in source_sentences for m in _REMEDY.finditer(s)]
    remedied += [set(tokenize(s)) for s in source_sentences if _COSTLY.search(s)]
    # What the method does something in order to avoid may be what the source says something else leads to ('To
    # avoid trivial solutions, SIGMA ...' against 'the L2 loss will lead to trivial solutions').
    risks = [set(tokenize(m.group(1))) for s in source_sentences for m in _LEADS_TO.finditer(s)]
    agreed: set[str] = set()
    for match in _DONE_AWAY.finditer(claim):
        thing = set(tokenize(match.group(1)))
        purpose = _PURPOSE.search(claim[: match.start()]) is not None
        if any(len(thing & r) >= min(2, len(thing)) for r in remedied + (risks if purpose else [])):
            agreed |= thing
    return frozenset(agreed)


_LEADS_TO = re.compile(r"\b(?:(?:lead|leads|led|leading) to|(?:result|results|resulted|resulting) in|"
                       r"(?:suffer|suffers|suffered|suffering) from|(?:prone|susceptible|vulnerable) to|"
                       r"(?:cause|causes|caused|causing))\s+((?:[\w-]+\s+){0,5}[\w-]+)", re.IGNORECASE)
_PURPOSE = re.compile(r"\bto\s+$", re.IGNORECASE)


# A sentence calling something a cost or a problem.
_COSTLY = re.compile(r"\b(?:expensive|costly|prohibitive|intractable|infeasible|bottleneck)\b", re.IGNORECASE)
# 'based solely on its dataset size': one thing, to the exclusion of others.
_SOLELY = re.compile(r"(?<!\bnot )(?<!\bnot just )\b(?:solely|only|exclusively|purely|merely|simply|"
                     r"(?:confined|limited|restricted) to)\s+"
                     r"(?:(?:on|by|for|from|with|in|using|based on|according to|its|their|the|a|an)\s+){0,3}"
                     r"((?:[\w-]+\s+){0,2}[\w-]+)",
                     re.IGNORECASE)
# What a claim has one thing without: 'for synthetic images, not for real images'.
_BUT_NOT = re.compile(r",\s*(?:but\s+)?not\s+(?!only\b|just\b|merely\b)(?:(?:on|for|in|with|from|to|by|of)\s+)?"
                      r"((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)
# 'not only involve both the dataset size and ...', 'both the dataset size and the discrepancy': more than one.
_BESIDES = re.compile(r"\b(?:not (?:only|just|solely|merely)|both|as well as|in addition to|besides|beyond)\s+"
                      r"((?:[\w-]+\s+){0,6}[\w-]+)", re.IGNORECASE)


# What a claim has with another: 'from the token contents together with the positional encodings'.
_TOGETHER = re.compile(r"\b(?:together|along|combined|jointly|in combination) with\s+(?:the\s+|their\s+|its\s+)?"
                       r"((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)
# 'the only way' in a claim; 'not the only or necessary way' in a source.
_SOLE = re.compile(r"(?<!\bnot )\bthe (?:only|sole|single)(?: (?:and|or) [\w-]+)? ([\w-]+)", re.IGNORECASE)
_NOT_SOLE = re.compile(r"\bnot (?:the |an? )?(?:only|sole)(?: (?:or|nor) [\w-]+)? ([\w-]+)", re.IGNORECASE)
_AMOUNT = re.compile(r"\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|few|several|half|once|twice)\b",
                     re.IGNORECASE)


def only_where_also(claim: str, source_sentences: list[str]) -> bool:
    """The claim has a thing alone ('based solely on the dataset size') where the source has it with another
    ('involve both the dataset size and the discrepancy value'), or with another where the source has it alone."""
    alone = _sole_things(claim)
    alone += [set(tokenize(m.group(1))) for m in _BUT_NOT.finditer(claim)]  # '..., not for real images
    besides = [set(tokenize(m.group(1))) for s in source_sentences for m in _BESIDES.finditer(s)]
    if _any_meets(alone, besides):
        return True
    # 'computed from the token contents together with the positional encodings' where the source has them
    # 'depend exclusively on positional encodings'
    only = [thing for s in source_sentences for thing in _sole_things(s)]
    joined = [set(tokenize(m.group(1))) for m in _TOGETHER.finditer(claim)]
    if _any_meets(only, joined):
        return True
    # 'the only way to control X' where the source has it 'one way ..., although not the only way'
    sole = {t for m in _SOLE.finditer(claim) for t in tokenize(m.group(1))}
    return bool(sole & {t for s in source_sentences for m in _NOT_SOLE.finditer(s) for t in tokenize(m.group(1))})


def _any_meets(things: list[set[str]], others: list[set[str]]) -> bool:
    """Whether one of `others` holds two words of one of `things`, or its only one."""
    return any(thing and len(thing & other) >= min(2, len(thing)) for thing in things for other in others)


def _sole_things(text: str) -> list[set[str]]:
    """What the text has alone ('based solely on its dataset size'); 'only 1x activated parameters' and 'only a few
    steps' say how many, not which."""
    return [set(tokenize(m.group(1))) for m in _SOLELY.finditer(text) if not _AMOUNT.match(m.group(1))]


def passed_over(claim: str, source_sentences: list[str]) -> bool:
    """'injects the embeddings from the first steps rather than delaying them' where the sentence it rewords has
    'delayed subject conditioning': what the claim says the paper passes over, the paper does."""
    mine = polarity(claim).terms
    # 'X, rather than going through the SDF, significantly improves learning' where a sentence of the source says
    # 'going through the SDF significantly improves learning': what the claim passes over does what it says.
    for match in _PASSED_OVER_FOR.finditer(claim):
        passed, then = set(tokenize(match.group(1))), set(tokenize(match.group(2)))
        if passed and len(then) >= _PASSED_OVER_SAYS and any(
                all(_has(p.plain, t) for t in passed) and len([t for t in then if _has(p.plain, t)]) >= _PASSED_OVER_SAYS
                for p in map(polarity, source_sentences)):
            return True
    for match in _PASSED_OVER.finditer(claim):
        # (What the claim says besides is not passed over: 'delays conditioning rather than conditioning at once'.)
        besides = polarity(claim[: match.start()] + claim[match.end() :]).terms
        over = [t for t in tokenize(match.group(1)) if t not in _SUBJECTS and t not in besides][:2]
        for i in aligned(mine - set(over), [polarity(s).terms for s in source_sentences]):
            said = polarity(source_sentences[i])
            if over and all(_has(said.plain, t) for t in over):
                return True
    return False


_PASSED_OVER = re.compile(r"\b(?:rather than|instead of)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)
_PASSED_OVER_FOR = re.compile(r",\s*(?:rather than|instead of)\s+([^,;.]+),\s*([^,;.]+)", re.IGNORECASE)
_PASSED_OVER_SAYS = 3


def set_aside(sentence: str) -> frozenset[str]:
    """What a sentence negates or sets aside as the alternative ('surpassing handcrafted removal', 'rather than
    the dimension reduction method'); its negating words themselves ('existing methods fail') it does say."""
    said = polarity(sentence)
    return frozenset(tokenize(sentence)) - (said.terms - said.negated) - _NEGATING_TERMS


_NEGATING_TERMS = frozenset(t for word in NEGATORS for t in tokenize(word))


def _denied_elsewhere(claim: str, source_sentences: list[str], ignore: frozenset[str]) -> frozenset[str]:
    """The claim's negations whose thing the source denies too, in any of its sentences ('without requiring
    node attributes' where the source works 'without attributes' in a sentence the claim rewords less; not
    'does not follow a similar scaling behavior' where the source only lacks an understanding of scaling)."""
    denied = frozenset().union(*(polarity(s).negated for s in source_sentences))
    order = {t: i for i, t in enumerate(tokenize(claim))}  # a term's last place in the claim
    # What the claim says cannot be done ('is unable to assess X') where the sentences it rewords do it.
    done = frozenset().union(*(p.terms - p.negated for p in _aligned(claim, source_sentences, ignore)))
    undone = {t for m in _CANNOT.finditer(claim) for t in tokenize(m.group(1))[:1] if _has(done, t)} - _LIGHT_VERBS
    agreed: set[str] = set()
    for scope in (s for s in polarity(claim).scopes if not s & undone):
        # What the denial is of: the last word it reaches ('attributes' in 'without requiring node attributes').
        head = max(scope - ignore - _LIGHT_VERBS - _GENERIC, key=lambda t: order.get(t, -1), default=None)
        if head is not None and _has(denied, head):
            agreed |= scope
    return frozenset(agreed)


_CANNOT = re.compile(r"\b(?:unable to|cannot|can ?not|can't|fails? to|failed to|(?:does|do|did) not|never)\s+([\w-]+)",
                     re.IGNORECASE)
# Verbs a denial passes through to what it is about ('without requiring attributes' denies the attributes).
_LIGHT_VERBS = frozenset(tokenize("require requires need needs use uses rely relies depend depends involve involves "
                                  "access rely"))


def _denied_of_the_same(claim: str, source_sentences: list[str], ignore: frozenset[str]) -> bool:
    """Whether the source denies something of what the claim denies something of, in other words ('a single
    one-shot SuperNet fails at choosing pooling configurations' against 'one-shot NAS based on a single
    SuperNet does not work for this problem'): two or more words of what each negation is said of meet."""
    if _DOUBLE_NEGATION.search(claim):
        return False  # 'cannot reach X without fine-tuning' requires what the source does without
    theirs = [denial for sentence in source_sentences for denial in _denials(sentence, ignore)]
    # (Most of what each is said of: 'the MLP's intermediate layers' and 'layers for MLP weight spaces' share two
    # words of four, not the thing. The very denial the source makes, 'the guarantee of not forgetting', says
    # nothing for the claim's others: 'no longer maintains the guarantee of not forgetting'.)
    return any(len(mine & subject) >= max(2, min(len(mine), len(subject)) // 2 + 1) and not same_term(denied, what)
               for mine, denied in _denials(claim, ignore) for subject, what in theirs)


_DOUBLE_NEGATION = re.compile(r"\b(?:not|no|never|cannot|unable|fails?|failed|\w+n't)\b[^,;.]*\bwithout\b",
                              re.IGNORECASE)
# Words that name no particular thing a negation could be said of.
_GENERIC = frozenset(tokenize("method approach model framework proposed paper authors study work technique system"))


def _denial_subjects(text: str, ignore: frozenset[str]) -> tuple[frozenset[str], ...]:
    """For each negation of `text`, the content words just before it in its clause (what it is said of)."""
    return tuple(subject for subject, _ in _denials(text, ignore))


@lru_cache(maxsize=8192)
def _denials(text: str, ignore: frozenset[str]) -> tuple[tuple[frozenset[str], str], ...]:
    """For each negation of `text`, what it is said of (`_denial_subjects`) and the first content word it denies."""
    words = _WORD.findall(_NEGATING_PHRASES.sub(" not ", text.lower()))
    found: list[tuple[frozenset[str], str]] = []
    for at, word in enumerate(words):
        if word in NEGATORS or word.endswith("n't"):
            before: list[str] = []
            for w in reversed(words[:at]):
                if w in _SCOPE_END or not w[0].isalnum() or len(before) == _SCOPE_WORDS:
                    break
                before += [t for t in tokenize(w) if t not in ignore and t not in _GENERIC]
            denied = next((t for w in words[at + 1 :] for t in tokenize(w)), "")
            found.append((frozenset(before), denied))
    return tuple(found)


# A claim's clauses, each held to the sentences it rewords when the whole claim rewords none.
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:because|since|while|whereas|although|though|but)\b", re.IGNORECASE)
_CLAUSE_TERMS = 3
_CONCEDED = re.compile(r"\b(?:although|though|but|yet|whereas)\b", re.IGNORECASE)
_STRETCH_BREAK = re.compile(r"[,;:]|\b(?:because|since|while|whereas|although|though|but|and|by)\b", re.IGNORECASE)


def _aligned(text: str, source_sentences: list[str], ignore: frozenset[str]) -> list[Polarity]:
    """The polarity of the source sentences that say most of what `text` says."""
    return [polarity(source_sentences[i]) for i in _aligned_at(text, source_sentences, ignore)]


def _aligned_at(text: str, source_sentences: list[str], ignore: frozenset[str]) -> list[int]:
    return aligned(polarity(text).terms - ignore, [polarity(s).terms for s in source_sentences])


def _negated_alike(clause: str, source_sentences: list[str], ignore: frozenset[str]) -> set[str]:
    """What `clause` negates that the sentences it rewords negate too, in words ('no labels') or by a
    prefix ('without labels' for 'unlabeled data')."""
    theirs = _aligned(clause, source_sentences, ignore)
    negated = frozenset().union(*(p.negated for p in theirs))
    # (A negating prefix agrees wherever the source has it: 'without Byzantine attackers' for 'in non-Byzantine
    # environments', where the short stretch rewords best a sentence on the attackers.)
    said = frozenset().union(*(polarity(s).terms for s in source_sentences))
    return {t for t in polarity(clause).negated if _has(negated, t) or any(p + t in said for p in _PREFIXES)}


def _flipped(claim: str, source_sentences: list[str], ignore: frozenset[str], agreed: frozenset[str]) -> str | None:
    mine = polarity(claim)
    terms = mine.terms - ignore
    at_aligned = _aligned_at(claim, source_sentences, ignore)
    aligned = [polarity(source_sentences[i]) for i in at_aligned]
    said = frozenset().union(*(p.terms for p in aligned))
    negated = frozenset().union(*(p.negated for p in aligned))
    negated |= frozenset().union(*(_elided_of(source_sentences[i]) for i in at_aligned))
    for scope in mine.scopes:  # the claim negates what the aligned source asserts
        present = [t for t in scope - ignore if _has(said, t)]
        if present and not any(_has(negated, t) or t in agreed for t in present):
            return present[0]
    for scope in mine.scopes:  # ... or what another sentence asserts in full, with more of the claim's words
        whole = scope - ignore
        for sentence in source_sentences if len(whole) >= 2 else ():
            source = polarity(sentence)
            plain = source.terms - source.negated - _elided_of(sentence)
            if (all(_has(plain, t) for t in whole) and not any(t in agreed for t in whole)
                    and any(_has(plain, t) for t in terms - whole)):
                return sorted(whole)[0]
    # 'target-domain performance' says what 'the performance of the target domain' says.
    parts = terms | {p for t in terms if "-" in t for p in tokenize(t.replace("-", " "))}
    denied = mine.negated | {p for t in mine.negated if "-" in t for p in tokenize(t.replace("-", " "))}
    # What the claim asserts after conceding ('..., although it still requires X').
    conceded = frozenset(t for part in _CONCEDED.split(claim)[1:] for t in polarity(part).plain)
    for at, source in zip(at_aligned, aligned):  # the aligned source negates what the claim asserts
        # What another sentence the claim rewords says plainly ('decentralized learning preserves ...' beside
        # 'challenges the belief that decentralized learning generalizes poorly').
        plain = frozenset().union(*(p.terms - p.negated for i, p in zip(at_aligned, aligned) if i != at))
        # A term the sentence also says where no negation reaches is asserted besides ('omit the encoder at ... and
        # reuse the encoder features'; not 'without sharing their data, weights or weight updates').
        besides = source.plain
        for scope in source.scopes:
            present = [t for t in scope - ignore - besides if _has(parts, t)]
            kept = [t for t in present if not _has(denied, t)]  # ('no fine-tuning' for 'tuning-free')
            # (The claim denying some of what it reaches, said besides or not, agrees: 'the student still fails to
            # generalize' against 'insufficient for the generalization of the student'.)
            agreeing = any(_has(denied, t) for t in scope - ignore)
            # Two of its terms, or its only one ('training-free' where the claim requires training; 'without
            # having access to the samples' where the samples are said besides); two the claim asserts where it
            # denies the rest ('without sharing raw data, although it requires exchanging weight updates').
            enough = (len(kept) >= 2 and all(_has(conceded, t) for t in kept) if agreeing
                      else len(present) >= min(2, len(scope - besides)))
            if enough and kept and not all(_has(plain, t) for t in kept):
                return kept[0]
    return None


# Words that say the opposite of each other: denying one asserts the other ('do not share X' = 'differ in X').
_OPPOSITES = (("share", "differ"), ("same", "differ"), ("similar", "differ"), ("identical", "differ"),
              ("match", "differ"), ("resemble", "differ"))


def _asserted_opposite(claim: str, source_sentences: list[str], ignore: frozenset[str]) -> str | None:
    """A claim asserting one of two opposites ('behave identically to the trained networks') where a sentence of the
    source asserts the other of the same things ('perform differently with the trained networks': two words of them),
    and none asserts the claim's."""
    mine = polarity(claim)
    asserted = mine.plain - mine.negated
    said = frozenset().union(*(polarity(s).plain - polarity(s).negated for s in source_sentences))
    for sentence, source in zip(source_sentences, map(polarity, source_sentences)):
        theirs = source.plain - source.negated
        shared = {t for t in asserted - ignore - _GENERIC - _ALIKE - _UNLIKE - _JOINTLY - _APART if t in theirs}
        for these, those in _OPPOSED:
            word = next(iter(sorted(asserted & these)), None)
            # (How things are made, where one side says it of training: 'laws defined jointly over two variables'
            # against 'two independent axes' opposes nothing.)
            made = these is _JOINTLY or these is _APART
            if made and not (_MADE_JOINTLY.search(claim) or _MADE_JOINTLY.search(sentence)):
                continue
            if word and theirs & those and not said & these and len(shared) >= _SAID_OF:
                return word
    return None


# Said of how two things compare, as verbs and adverbs ('many different features share' compares nothing).
_ALIKE = frozenset({"identical", "identically", "alike"})
_UNLIKE = frozenset({"differ", "differs", "differed", "differently"})
# ... and how two things are made: 'trained jointly' against 'independent, standalone tools', 'in isolation'.
_JOINTLY = frozenset({"jointly", "joint"})
_APART = frozenset({"independent", "independently", "standalone", "separately", "isolation"})
_OPPOSED = ((_ALIKE, _UNLIKE), (_UNLIKE, _ALIKE), (_JOINTLY, _APART), (_APART, _JOINTLY))
_MADE_JOINTLY = re.compile(r"\b(?:train|learn|optimi[sz]|fine-tun|fit)\w*\s+(?:[\w-]+\s+){0,3}?(?:jointly|together|"
                           r"independently|separately|in isolation)\b|\b(?:jointly|independently|separately)\s+"
                           r"(?:train|learn|optimi[sz]|fine-tun|fit)\w*", re.IGNORECASE)


# Words that say the same thing: denying one where the source asserts another ('the code is not publicly released'
# against 'all source code is now available').
# ('public' alone is as often what a thing is: 'an unlabeled public dataset'.)
_ALIKE_WORDS = (frozenset(tokenize("available availability released release publicly open-source open-sourced")),)


def _denied_alike(claim: str, source_sentences: list[str]) -> str | None:
    """A word of `_ALIKE_WORDS` the claim denies where the source asserts one of its kind and denies none."""
    denied = polarity(claim).negated
    theirs = [polarity(s) for s in source_sentences]
    said = frozenset().union(*(p.plain - p.negated for p in theirs))
    negated = frozenset().union(*(p.negated for p in theirs))
    for alike in _ALIKE_WORDS:
        mine = sorted(denied & alike)
        if mine and said & alike and not negated & alike:
            return mine[0]
    return None


def _denied_opposites(mine: Polarity, aligned: list[Polarity], ignore: frozenset[str]) -> str | None:
    """A claim denying one of two opposites where the source denies the other, of the same thing ('do not
    share the filter distributions' against 'the filter distributions do not differ')."""
    theirs = [scope for source in aligned for scope in source.scopes]
    for scope in mine.scopes:
        for a, b in _OPPOSITES:
            for word, opposite in ((a, b), (b, a)):
                if not _has(scope, word):
                    continue
                rest = {t for t in scope - ignore if not same_term(t, word)}
                if any(_has(other, opposite) and any(_has(other, t) for t in rest) for other in theirs):
                    return word
    return None


def _has(terms: frozenset[str] | set[str], term: str) -> bool:
    """Whether `terms` hold `term` in some form ('tuning' is a form of 'tune', though too short to stem)."""
    return term in terms or any(same_term(term, t) or _ing(term) == _ing(t) for t in terms)


def _ing(term: str) -> str:
    """A short verb and its '-ing' and '-ed' forms as one: 'tune', 'tuning', 'tuned' -> 'tun'."""
    stem = _VERB_ENDING.sub("", term)
    return stem if len(stem) >= 3 else term


_VERB_ENDING = re.compile(r"(?:ing|ed|e)$")


_PREFIXES = ("non-", "non", "un", "in")
# Prefixes that make an opposite, each with the shortest base it is read on: 'aligned' against 'misaligned' too
# (a shorter base: 'mis' starts few words that are not its own).
_OPPOSING_PREFIXES = {**{p: 6 for p in _PREFIXES}, "mis": 5}


def _prefixed_opposite(claim: str, source_sentences: list[str]) -> str | None:
    """'sufficient' in the claim where the source only has 'insufficient' (or the other way round)."""
    mine = set(tokenize(claim))
    theirs = {t for s in source_sentences for t in tokenize(s)}
    denied = polarity(claim).negated | frozenset().union(*(polarity(s).negated for s in source_sentences))
    for term in mine - theirs:
        if any(same_term(term, t) for t in theirs):
            continue  # 'balancing' where the source says 'balances' (and elsewhere 'unbalanced')
        if term in denied or any(p + term in denied or (term.startswith(p) and term[len(p):] in denied)
                                 for p in _PREFIXES):
            continue  # 'is not sufficient' says what 'is insufficient' says
        if any(p + term in theirs for p, shortest in _OPPOSING_PREFIXES.items() if len(term) >= shortest):
            return term
        base = next((term[len(p) :] for p, shortest in _OPPOSING_PREFIXES.items()
                     if term.startswith(p) and len(term) - len(p) >= shortest), None)
        if base and base in theirs:
            return term
    return None


# What a method does without: 'training-free', 'without additional training or fine-tuning'.
_FREE = re.compile(
    r"\b([a-z]+)-free\b|\bwithout (?:(?:any|additional|extra|further|costly|explicit|the need for|need for|"
    r"requiring)\s+){0,3}([a-z-]+(?:\s+(?:or|and|nor)\s+[a-z-]+)?)",
    re.IGNORECASE,
)
_REQUIRED = re.compile(
    r"\b(?:needs?|needed|needing|requires?|required|requiring|relies on|rely on|depends? on|calls? for|"
    r"(?:must|has to|have to|needs? to) be(?= [a-z]+ed\b)|"  # 'must be tuned'

    r"only\s+(?:[a-z]+\s+){0,2}?(?:after|with|when|once|if|by))\s+"  # 'only works after fine-tuning'

    r"(?:(?:a|an|the|some|any|additional|extra|further|more|costly|expensive|explicit|separate|its own)\s+){0,3}([a-z-]+)",
    re.IGNORECASE,
)


# 'does not require knowledge of other particle coordinates': free of what follows (a few words of it).
_NOT_NEEDED = re.compile(
    r"\b(?:does not|do not|did not|doesn't|don't|no longer|never) (?:require|need|rely on|depend on|have)s?\s+"
    r"(?:any\s+)?"
    r"((?:[a-z-]+\s+){0,4}[a-z-]+)",
    re.IGNORECASE,
)
# 'cannot operate without knowing the coordinates of the other particles': requires what follows.
_NEEDED_BY_DENIAL = re.compile(
    r"\b(?:cannot|can't|can not|unable to|fails? to)\s+[a-z]+(?:\s+[a-z]+)?\s+without\s+"
    r"(?:(?:knowing|using|having|access to|accessing|a|an|the|any)\s+){0,2}((?:[a-z-]+\s+){0,4}[a-z-]+)",
    re.IGNORECASE,
)


def _free_but_required(claim: str, source_sentences: list[str]) -> str | None:
    """'requires additional training' where the source calls the method 'training-free' or says it works
    'without additional training' (anywhere in it); 'cannot work without knowing X' where the source does
    not require knowledge of X."""
    free = {t for s in source_sentences for m in _FREE.finditer(s) for t in tokenize(m.group(1) or m.group(2))}
    unneeded = {t for s in source_sentences for m in _NOT_NEEDED.finditer(s) for t in tokenize(m.group(1))}
    for match in _NEEDED_BY_DENIAL.finditer(claim):
        terms = tokenize(match.group(1))
        needed = [t for t in terms if _has(unneeded, t)]
        if len(needed) >= min(2, len(set(terms))):
            return needed[0]
        # 'cannot be applied without additionally fine-tuning' against 'without additional training or fine-tuning'
        needed = [t for t in terms[:2] if _has(free, t)]
        if needed:
            return needed[0]
    for match in _REQUIRED.finditer(claim):
        clause = re.split(r"[,;:]", claim[: match.start()])[-1]  # 'is not training-free: it requires ...'
        if polarity(clause + claim[match.start() : match.end()]).scopes:
            continue  # 'does not require training' agrees with 'training-free'
        needed = tokenize(match.group(1))
        # Fine-tuning and retraining are training: 'requires additional fine-tuning' against 'without training'.
        trained = any(t.endswith(("tun", "train", "tuning", "training")) for t in needed) and _has(free, "train")
        # ('requires frequent communication' against 'does not need frequent communication traffic')
        # ('requires fine-tuning' against 'the tuning-free method': a compound's last part says what it is.)
        if needed and (trained or any(_has(free, t) or _has(unneeded, t) or _has(free, t.rsplit("-", 1)[-1])
                                      for t in needed)):
            return needed[0]
    return None
