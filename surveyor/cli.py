"""The `surveyor` command: parse arguments, call the Surveyor facade, render. No logic lives here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from surveyor.app import Surveyor
from surveyor.errors import SurveyorError
from surveyor.records import Hit, Paper

if TYPE_CHECKING:
    from surveyor.evaluate import EvalReport
from surveyor.settings import Settings

app = typer.Typer(rich_markup_mode=None, 
    add_completion=False, no_args_is_help=True, help="Cited answers and related-work drafts from paper abstracts."
)

StoreOption = Annotated[
    Optional[str],
    typer.Option("--store", help="Store directory or http://HOST:PORT [env SURVEYOR_STORE, default ./.surveyor]."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


LlmOption = Annotated[
    Optional[str],
    typer.Option("--llm", help="extractive (offline, default) or openai (any compatible endpoint) [env SURVEYOR_LLM]."),
]
ModelOption = Annotated[
    Optional[str], typer.Option("--model", help="Chat model for --llm openai [env SURVEYOR_MODEL].")
]
BaseUrlOption = Annotated[
    Optional[str], typer.Option("--base-url", help="OpenAI-compatible endpoint [env OPENAI_BASE_URL].")
]
KOption = Annotated[int, typer.Option("-k", min=1, max=50, help="How many papers to retrieve.")]


def _surveyor(store: str | None, **overrides: object) -> Surveyor:
    """Settings from the environment, overridden by the options actually given."""
    given = {name: value for name, value in {"store": store, **overrides}.items() if value is not None}
    try:
        settings = Settings(**given)  # type: ignore[arg-type]
    except ValueError as exc:
        first = str(exc).splitlines()
        _fail(f"bad configuration: {' '.join(first[1:3]) if len(first) > 2 else exc}")
    return Surveyor(settings)


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Every failure a user can cause ends as one line on stderr and a non-zero exit."""
    try:
        yield
    except SurveyorError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted; nothing stored was lost (run the command again to finish)", 130)


def _emit(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@contextmanager
def _progress(label: str, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long work; nothing when output is for machines."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of abstracts.")],
    fmt: Annotated[
        Optional[str],
        typer.Option(
            "--format", help="Force a format (daily, jsonl, json, csv, bibtex, atom, arxiv-jsonl, ris, csljson)."
        ),
    ] = None,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Wait for another ingest into the store, or fail.")] = True,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read files/folders, dedupe, chunk, embed and store. Unchanged input embeds nothing."""
    surveyor = _surveyor(store)

    def waiting() -> None:
        typer.echo("another process is writing this store; waiting for it to finish...", err=True)

    with _errors(), _progress("embedding", not as_json) as progress:
        report = surveyor.ingest(paths, fmt, progress, wait=wait, on_wait=waiting)
    if as_json:
        _emit(report.as_dict())
        return
    for error in report.errors:
        where = f"{error.file}:{error.line}" if error.line else error.file
        typer.echo(f"skipped {where}: {error.reason}", err=True)
    typer.echo(
        f"{report.records} records from {report.files} files: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.duplicates} duplicates merged, {report.chunks} chunks embedded, "
        f"{len(report.errors)} errors"
    )


@app.command()
def papers(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """List the stored papers."""
    with _errors():
        found = _surveyor(store).papers()
    if as_json:
        _emit({"papers": [_paper_summary(p) for p in found]})
        return
    for paper in found:
        typer.echo(f"{paper.key:<28} {paper.paper_id:<24} {paper.title}")


@app.command()
def show(
    paper_id: Annotated[str, typer.Argument(help="Paper id, alias or citation key.")],
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one stored paper."""
    import dataclasses

    with _errors():
        paper = _surveyor(store).paper(paper_id)
    if as_json:
        _emit(dataclasses.asdict(paper))
        return
    typer.echo(f"{paper.title}\n")
    for label, value in (
        ("id", paper.paper_id),
        ("key", paper.key),
        ("authors", ", ".join(paper.authors)),
        ("year", paper.year),
        ("venue", paper.venue),
        ("url", paper.url),
        ("sources", ", ".join(paper.sources)),
    ):
        if value:
            typer.echo(f"{label + ':':<9}{value}")
    typer.echo(f"\n{paper.abstract}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many papers.")] = 5,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ranked papers with scores and the best-matching snippet."""
    with _errors():
        hits = _surveyor(store).search(query, k)
    if as_json:
        _emit({"query": query, "results": [h.as_dict() for h in hits]})
        return
    if not hits:
        typer.echo("no paper in the store matches this query")
    for rank, hit in enumerate(hits, 1):
        _print_hit(rank, hit)


def _print_hit(rank: int, hit: Hit) -> None:
    typer.echo(f"{rank}. {hit.paper.title}  [{hit.paper.key}]  score {hit.score:.2f}, similarity {hit.similarity:.2f}")
    typer.echo(f"   {hit.snippet}\n")


def _paper_summary(paper: Paper) -> dict[str, object]:
    return {"paper_id": paper.paper_id, "key": paper.key, "title": paper.title, "year": paper.year}


VerifyOption = Annotated[
    Optional[str],
    typer.Option("--verify", help="offline (default) or llm: the LLM also judges each citation [env SURVEYOR_VERIFY]."),
]


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the papers in the store.")],
    k: KOption = 5,
    llm: LlmOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    verify: VerifyOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer with inline [n] citations; each sentence is printed once its citations are verified."""
    from surveyor.repl import collect_answer, print_references, sentence_printer

    surveyor = _surveyor(store, llm=llm, model=model, base_url=base_url, verify=verify)
    with _errors():
        answer = collect_answer(surveyor.ask_events(question, k), None if as_json else sentence_printer())
    _emit(answer.as_dict()) if as_json else print_references(answer)


@app.command()
def chat(
    k: KOption = 5,
    resume: Annotated[
        Optional[str], typer.Option("--resume", help="Go on with a saved chat: its id (see `surveyor chats`), or none for the last one.")
    ] = None,
    llm: LlmOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    verify: VerifyOption = None,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Questions from stdin, one JSON answer per line.")] = False,
) -> None:
    """A conversation: follow-ups keep the subject; saved as you go. /papers /sources /save /draft /reset /exit."""
    from surveyor.repl import ChatSession

    surveyor = _surveyor(store, llm=llm, model=model, base_url=base_url, verify=verify)
    with _errors():
        session = ChatSession(surveyor, k, resume)
        session.json_lines(sys.stdin) if as_json else session.interactive()


@app.command()
def chats(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """The saved chats, newest first (resume one with `surveyor chat --resume ID`)."""
    with _errors():
        found = _surveyor(store).chats.list()
    if as_json:
        _emit({"chats": [{"id": i, "started": c, "turns": n, "first_question": q} for i, c, n, q in found]})
        return
    if not found:
        typer.echo("no saved chats")
    for chat_id, started, turns, question in found:
        typer.echo(f"{chat_id}  {started[:16].replace('T', ' ')}  {turns:>3} turns  {question}")


@app.command()
def draft(
    topic_or_file: Annotated[str, typer.Argument(help="A topic, or a file holding your own abstract.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="markdown, pandoc (Pandoc Markdown with [@key] citations), latex or json; pandoc and latex come "
            "with a .bib.",
        ),
    ] = "markdown",
    out: Annotated[
        Optional[Path], typer.Option("--out", help="Write here (pandoc and latex also write the .bib beside it).")
    ] = None,
    max_papers: Annotated[
        int,
        typer.Option(
            "--max-papers",
            min=2,
            max=200,
            help="At most this many papers: the draft uses every paper relevant to the topic, up to this cap.",
        ),
    ] = 40,
    sections: Annotated[
        Optional[int], typer.Option("--sections", min=1, max=20, help="Force this many themes.")
    ] = None,
    templates: Annotated[Optional[Path], typer.Option("--templates", help="Your own template directory.")] = None,
    from_stage: Annotated[
        Optional[Path], typer.Option("--from-stage", help="Resume from a saved stage (JSON).")
    ] = None,
    dump_stages: Annotated[
        Optional[Path], typer.Option("--dump-stages", help="Save each stage's artifact here.")
    ] = None,
    llm: LlmOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    store: StoreOption = None,
) -> None:
    """Draft a related-work section from clustered retrievals, every citation verified."""
    from surveyor.draft.render import BIB_FORMATS, FORMATS, Renderer

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    surveyor = _surveyor(store, llm=llm, model=model, base_url=base_url)
    source = Path(topic_or_file)
    with _errors():
        renderer = Renderer(templates)
        abstract = _read_abstract(source) if source.is_file() else None
        result = surveyor.draft(
            topic_or_file if abstract is None else source.stem,
            user_abstract=abstract,
            max_papers=max_papers,
            sections=sections,
            from_stage=from_stage,
            dump_dir=dump_stages,
        )
        text = renderer.render(result, fmt, bib_name=out.stem if out else "references")
        bib = renderer.bibtex(result.references) if fmt in BIB_FORMATS else None
    if out is None:
        typer.echo(text + (f"\n{_BIB_SEPARATOR[fmt]}\n{bib}" if bib else ""), nl=False)
    else:
        out.write_text(text)
        if bib is not None:
            out.with_suffix(".bib").write_text(bib)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    cited, retrieved, themes = len(result.references), len(result.retrieved), len(result.sections)
    coverage = result.coverage()
    typer.echo(
        f"draft: {themes} theme{'' if themes == 1 else 's'}, {cited} of {retrieved} retrieved papers cited, "
        f"{retrieved - cited} left out, {len(result.warnings)} warnings; {coverage['relevant']} of "
        f"{coverage['candidates']} candidates relevant, near-misses in --format json",
        err=True,
    )


# On stdout the .bib follows the draft after a line that is a comment in the draft's own language.
_BIB_SEPARATOR = {"latex": "% ---- references.bib ----", "pandoc": "<!-- ---- references.bib ---- -->"}


def _read_abstract(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SurveyorError(f"{path}: cannot read the abstract ({exc})") from exc


@app.command("eval")
def eval_(
    questions: Annotated[
        Path,
        typer.Argument(
            help='JSON lines of questions {"q", "expect"?, "contains"?, "out_of_scope"?}; of claims '
            '{"claim", "paper", "label": "supported"|"unsupported", "kind"?} to measure the citation verifier; or '
            'of conversations {"turns": [...], "expect", "contains"?} to score the last turn of each.'
        ),
    ],
    topics: Annotated[
        Optional[Path],
        typer.Option(
            "--topics",
            help='Also draft these topics: one per line (# comments), or a JSON object per line, '
            '{"topic": "...", "on_topic": "REGEX"}, to report the share of cited papers whose title + abstract '
            "match REGEX (case-insensitive).",
        ),
    ] = None,
    k: KOption = 5,
    llm: LlmOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    verify: VerifyOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score retrieval, cited answers and abstention on labelled questions (and drafts with --topics),
    or the citation verifier on labelled claims."""
    from surveyor.chat_eval import evaluate_conversations
    from surveyor.claims_eval import evaluate_claims, file_kind
    from surveyor.evaluate import evaluate

    surveyor = _surveyor(store, llm=llm, model=model, base_url=base_url, verify=verify)
    with _errors():
        kind = file_kind(questions)
        if kind != "questions":
            other = evaluate_claims(surveyor, questions) if kind == "claims" else evaluate_conversations(surveyor, questions, k)
            _emit(other.as_dict()) if as_json else typer.echo("\n".join(other.lines()))
            return
        report = evaluate(surveyor, questions, topics, k)
    if as_json:
        _emit(report.as_dict())
        return
    _print_eval_table(report)
    for line in report.lines():
        typer.echo(line)


def _print_eval_table(report: EvalReport) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("line", "rank", "cited expected", "precision", "recall", "contains", "abstained")
    table.add_column("question", no_wrap=True, overflow="ellipsis", max_width=70)
    mark = {True: "yes", False: "NO", None: "-"}
    for r in report.questions:
        table.add_row(
            str(r.line), str(r.rank or "-"), mark[r.citation_hit],
            "-" if r.citation_precision is None else f"{r.citation_precision:.2f}",
            "-" if r.citation_recall is None else f"{r.citation_recall:.2f}",
            "-" if r.contains_rate is None else f"{r.contains_rate:.2f}",
            f"{'yes' if r.abstained else 'no'}{'' if r.abstained == r.out_of_scope else ' (WRONG)'}",
            r.question,
        )
    Console(highlight=False, width=None if sys.stdout.isatty() else 150).print(table)


@app.command()
def reindex(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Rebuild the vector and lexical indexes from the stored paper records (searches keep working)."""
    surveyor = _surveyor(store)
    with _errors(), _progress("embedding", not as_json) as progress:
        embedded = surveyor.reindex(progress)
    _emit({"chunks": embedded}) if as_json else typer.echo(f"reindexed: {embedded} chunks embedded")


@app.command()
def push(
    url: Annotated[str, typer.Argument(help="The Chroma server to copy the store to: http://HOST:PORT.")],
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Copy a local store to a Chroma server store: papers and vectors, nothing re-embedded."""
    surveyor = _surveyor(store)
    with _errors(), _progress("pushing", not as_json) as progress:
        sent = surveyor.push(url, progress)
    if as_json:
        _emit({**sent, "store": url})
    else:
        typer.echo(f"pushed {sent['papers']} papers to {url} ({sent['chunks_embedded']} chunks embedded)")


@app.command()
def verify(
    repair: Annotated[bool, typer.Option("--repair", help="Re-embed what is missing, delete orphans.")] = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check that the vector and lexical indexes hold exactly what the paper records say."""
    with _errors():
        found = _surveyor(store).verify(repair)
    if as_json:
        _emit(found.as_dict())
    else:
        typer.echo(f"{found.papers} papers, {found.chunks} chunks, {found.vectors} vectors: "
                   + ("consistent" if found.ok else "; ".join(found.problems())))
    if not found.ok:
        raise typer.Exit(1)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl, bibtex, csljson (CSL-JSON) or ris (all re-ingestable).")
    ] = "jsonl",
    out: Annotated[Optional[Path], typer.Option("--out", help="Write here instead of stdout.")] = None,
    store: StoreOption = None,
) -> None:
    """The whole store as JSON lines, BibTeX, CSL-JSON or RIS, abstracts included: for reference managers,
    Pandoc, or a backup you can ingest again."""
    with _errors():
        text = _surveyor(store).export(fmt)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@app.command()
def stats(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Sizes of the store."""
    with _errors():
        numbers = _surveyor(store).stats()
    if as_json:
        _emit(numbers)
        return
    for name, value in numbers.items():
        typer.echo(f"{name + ':':<17}{value}")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind; off loopback needs SURVEYOR_TOKEN.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8765,
    llm: LlmOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    store: StoreOption = None,
) -> None:
    """HTTP API for writing tools (routes in the README) and the web page at /; models and store load once."""
    from surveyor.http import create_app, is_loopback

    surveyor = _surveyor(store, llm=llm, model=model, base_url=base_url)
    settings = surveyor.settings
    if not is_loopback(host) and not settings.token:
        _fail(f"refusing to listen on {host} without a token: set SURVEYOR_TOKEN (clients send it as a Bearer token)")
    with _errors():
        surveyor.load()
    import uvicorn

    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    api = create_app(
        surveyor, token=settings.token, cors_origins=origins, max_body=settings.max_body, max_requests=settings.max_requests
    )
    typer.echo(f"surveyor on http://{host}:{port}: the web page at /, OpenAPI at /docs; Ctrl-C stops", err=True)
    uvicorn.run(api, host=host, port=port, log_level="warning")


@app.command()
def mcp(
    llm: LlmOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    store: StoreOption = None,
) -> None:
    """MCP server on stdio: search_papers, ask, draft_related_work, get_paper."""
    from surveyor.mcp_server import create_server

    surveyor = _surveyor(store, llm=llm, model=model, base_url=base_url)
    with _errors():
        surveyor.load()
    create_server(surveyor).run("stdio")


def main() -> None:
    # `chat --resume` with no id means the last chat (Typer has no options with an optional value).
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--resume" and (i + 1 == len(args) or args[i + 1].startswith("-")):
            sys.argv.insert(i + 2, "last")
            break
    app()
