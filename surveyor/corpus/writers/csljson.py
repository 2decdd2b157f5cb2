"""CSL-JSON out: what Zotero, Better BibTeX, Pandoc and Quarto read as a bibliography."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from surveyor.corpus.writers.names import csl_name
from surveyor.records import Paper

# Venues that are conference proceedings rather than journals, by the words and acronyms they carry.
_CONFERENCE = re.compile(
    r"\b(proceedings|proc|conference|workshop|symposium|neurips|nips|icml|iclr|cvpr|iccv|eccv|acl|emnlp|"
    r"naacl|coling|aaai|ijcai|kdd|sigir|www|siggraph|interspeech|icassp|miccai|uai|aistats|colt|corl|icra|iros)\b",
    re.IGNORECASE,
)


def csl_type(paper: Paper) -> str:
    """`paper-conference` or `article-journal` by venue; without one (or on arXiv) `article`, CSL's preprint."""
    if not paper.venue or "arxiv" in paper.venue.lower():
        return "article"
    return "paper-conference" if _CONFERENCE.search(paper.venue) else "article-journal"


def csl_item(paper: Paper) -> dict[str, object]:
    """One paper as a CSL item; `id` (and `citation-key`) is the paper's citation key."""
    kind = csl_type(paper)
    item: dict[str, object] = {"id": paper.key, "citation-key": paper.key, "type": kind, "title": paper.title}
    if paper.authors:
        item["author"] = [csl_name(name) for name in paper.authors]
    if paper.year:
        item["issued"] = {"date-parts": [[paper.year]]}
    optional = {"container-title": paper.venue, "abstract": paper.abstract, "DOI": paper.doi, "URL": paper.url}
    item |= {field: value for field, value in optional.items() if value}
    if paper.arxiv_id:
        # Zotero's convention for a preprint: the archive's id as `number`, the archive as `publisher`
        item["number"] = f"arXiv:{paper.arxiv_id}"
        if kind == "article":
            item["publisher"] = "arXiv"
    return item


def write_csljson(papers: Sequence[Paper]) -> str:
    """A CSL-JSON array, one item per paper."""
    return json.dumps([csl_item(p) for p in papers], indent=2, ensure_ascii=False) + "\n"
