"""A second opinion on citations (`--verify llm`): the configured LLM judges each claim against its quote.

The offline checks always run first; the judge can only make a verdict stricter (supported ->
unsupported), never rescue a citation they rejected, so a model cannot vouch for its own mistakes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from surveyor.answer.llm import Budget, ChatModel
from surveyor.answer.support import Support
from surveyor.errors import SurveyorError
from surveyor.prompts import fence, render_prompt
from surveyor.records import Paper

_VERDICT = re.compile(r"\b(SUPPORTED|CONTRADICTED|UNSUPPORTED|NOT ENOUGH)\b", re.IGNORECASE)


class Judge:
    """Asks the model for SUPPORTED / CONTRADICTED / UNSUPPORTED on each (claim, quote) the offline checks passed."""

    def __init__(self, model: ChatModel, max_tokens: int = 8) -> None:
        self.model = model
        self.max_tokens = max_tokens

    def review(self, pairs: list[tuple[str, Paper]], verdicts: list[Support], budget: Budget) -> list[Support]:
        return [
            self._judged(claim, paper, verdict, budget) if verdict.supported else verdict
            for (claim, paper), verdict in zip(pairs, verdicts)
        ]

    def _judged(self, claim: str, paper: Paper, verdict: Support, budget: Budget) -> Support:
        prompt = render_prompt("verify_claim.jinja", title=fence(paper.title), quote=fence(verdict.quote), claim=fence(claim))
        try:
            reply = self.model.complete([{"role": "user", "content": prompt}], max_tokens=self.max_tokens, budget=budget)
        except SurveyorError as exc:  # no second opinion is no verdict: the citation cannot pass unchecked
            return replace(verdict, supported=False, reason=f"llm: no verdict ({exc})")
        found = _VERDICT.search(reply.text)
        word = found.group(1).upper() if found else ""
        if word == "SUPPORTED":
            return verdict
        judged = {"CONTRADICTED": "contradicted", "UNSUPPORTED": "not enough information",
                  "NOT ENOUGH": "not enough information"}.get(word, "no verdict")
        return replace(verdict, supported=False, reason=f"llm: {judged}")
