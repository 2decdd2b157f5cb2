"""The MCP server driven by the MCP SDK's own client over stdio."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from mcp import Client, StdioServerParameters

from surveyor import Surveyor


def _call_all(store: str) -> dict[str, Any]:
    async def session() -> dict[str, Any]:
        server = StdioServerParameters(command=sys.executable, args=["-m", "surveyor", "mcp", "--store", store])
        async with Client(server, read_timeout_seconds=120) as client:
            tools = await client.list_tools()
            results = {
                "search": await client.call_tool("search_papers", {"query": "neural video representation", "k": 3}),
                "ask": await client.call_tool("ask", {"question": "what PSNR gain does HNeRV get?"}),
                "draft": await client.call_tool(
                    "draft_related_work", {"topic": "diffusion model acceleration", "format": "latex", "max_papers": 8}
                ),
                "pandoc": await client.call_tool(
                    "draft_related_work", {"topic": "diffusion model acceleration", "format": "pandoc", "max_papers": 8}
                ),
                "paper": await client.call_tool("get_paper", {"paper_id": "hnerv"}),
                "missing": await client.call_tool("get_paper", {"paper_id": "no-such-paper"}),
                "empty": await client.call_tool("ask", {"question": "   "}),
            }
            return {"tools": tools.tools, **results}

    return asyncio.run(session())


def _json(result: Any) -> dict[str, Any]:
    assert not result.is_error, result
    text = result.content[0].text
    data: dict[str, Any] = json.loads(text)
    return data


def test_mcp_lists_and_calls_every_tool(corpus: Surveyor) -> None:
    got = _call_all(corpus.settings.store)
    tools = {t.name: t for t in got["tools"]}
    assert set(tools) == {"search_papers", "ask", "draft_related_work", "get_paper"}
    assert "question" in tools["ask"].input_schema["properties"]

    search = _json(got["search"])
    assert search["results"][0]["title"] == "HNeRV: A Hybrid Neural Representation for Videos"
    answer = _json(got["ask"])
    assert "+4.7 PSNR" in answer["answer"] and all(c["supported"] for c in answer["citations"])
    draft = _json(got["draft"])
    assert "\\cite{" in draft["text"] and draft["bib"].startswith("@")
    pandoc = _json(got["pandoc"])
    assert '\nbibliography: "references.bib"\n' in pandoc["text"] and "[@" in pandoc["text"]
    assert pandoc["bib"] == draft["bib"]  # the same verified references, cited by key
    assert _json(got["paper"])["key"] == "hnerv"

    assert got["missing"].is_error and "no paper 'no-such-paper'" in got["missing"].content[0].text
    assert got["empty"].is_error and "the query is empty" in got["empty"].content[0].text
