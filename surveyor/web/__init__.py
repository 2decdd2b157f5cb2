"""The web page `surveyor serve` serves at `/`: static files shipped in this package, no build step, no CDN.
The page and its files hold no data, so they are public; the API routes they call keep the token rule."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import Response

__all__ = ["PAGE", "STATIC_PREFIX", "add_page", "is_page_path"]

PAGE = "/"
STATIC_PREFIX = "/static/"

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}

# Only this origin's own files and API: no inline script or style, no frames, no other host.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}

# index.html says whether the API wants a token, so the page can ask for it before the first request.
_TOKEN_MARK = 'content="surveyor-token-unknown"'


def is_page_path(path: str) -> bool:
    """The page and its static files: public whatever the token."""
    return path == PAGE or path.startswith(STATIC_PREFIX)


def add_page(api: FastAPI, *, token_required: bool) -> None:
    """`GET /` and `GET /static/{name}` for the files shipped beside this module (read once, at start)."""
    shipped = {
        entry.name: entry.read_bytes()
        for entry in files(__name__).iterdir()
        if entry.is_file() and "." + entry.name.rpartition(".")[2] in _TYPES
    }
    index = shipped.pop("index.html").decode()
    if _TOKEN_MARK not in index:
        raise RuntimeError("index.html lost its token marker")
    page = index.replace(_TOKEN_MARK, f'content="{"required" if token_required else "none"}"').encode()

    @api.get(PAGE, include_in_schema=False)
    def home() -> Response:
        return Response(page, media_type=_TYPES[".html"], headers=_HEADERS)

    @api.get(STATIC_PREFIX + "{name}", include_in_schema=False)
    def static(name: str) -> Response:
        body = shipped.get(name)
        if body is None:
            return Response(b'{"error": "Not Found"}', status_code=404, media_type="application/json")
        return Response(body, media_type=_TYPES["." + name.rpartition(".")[2]], headers=_HEADERS)
