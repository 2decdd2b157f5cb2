"""`surveyor mcp`: an MCP server on stdio, so AI writing assistants can use the corpus with verified citations."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Literal, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from surveyor.app import Surveyor
from surveyor.errors import SurveyorError

T = TypeVar("T")


def _tool_errors(call: Callable[[], T]) -> T:
    """A user-fixable problem becomes the tool's error message, not a crash of the server."""
    try:
        return call()
    except SurveyorError as exc:
        raise ToolError(str(exc)) from exc


def create_server(surveyor: Surveyor) -> MCPServer:
    server: MCPServer = MCPServer(
        "surveyor",
        instructions="Search, question and draft from the user's corpus of paper abstracts. Every citation "
        "returned has been verified against the cited abstract; cite papers by their key or paper_id.",
    )

    @server.tool()
    def search_papers(query: str, k: int = 5) -> dict[str, object]:
        """Papers in the corpus relevant to the query, best first, with score and best-matching sentence."""
        hits = _tool_errors(lambda: surveyor.search(query, max(1, min(k, 50))))
        return {"query": query, "results": [h.as_dict() for h in hits]}

    @server.tool()
    def ask(question: str, k: int = 5) -> dict[str, object]:
        """Answer a question from the corpus; [n] markers refer to the verified citations list."""
        return _tool_errors(lambda: surveyor.ask(question, max(1, min(k, 50)))).as_dict()

    @server.tool()
    def draft_related_work(
        topic: str, format: Literal["markdown", "pandoc", "latex", "json"] = "markdown", max_papers: int = 40
    ) -> dict[str, object]:
        """A related-work draft on the topic, organised by theme, every citation verified (LaTeX and Pandoc Markdown
        come with BibTeX)."""
        from surveyor.draft.render import payload

        draft = _tool_errors(lambda: surveyor.draft(topic, max_papers=max(2, min(max_papers, 200))))
        return payload(draft, format)

    @server.tool()
    def get_paper(paper_id: str) -> dict[str, object]:
        """One stored paper by paper_id, alias or citation key: title, abstract, authors, year, url."""
        return dataclasses.asdict(_tool_errors(lambda: surveyor.paper(paper_id)))

    return server
