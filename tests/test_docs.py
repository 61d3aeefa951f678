"""Every command in the README and docs/ runs: the fenced shell and Python blocks are extracted and
run, in document order, in a copy of the repository, so the examples cannot drift.

A block that needs the network or a running service is marked, on the line just above its fence,
`<!-- docs-test: illustrative, REASON -->`; it is checked for syntax only. Substitutions (below)
keep a run inside the copy and finite; each says why.
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.cli import parser
from tests.conftest import ROOT

DOCUMENTS = ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))]
SHELL = {"bash", "sh", "shell", "console"}
MARKER = re.compile(r"<!-- docs-test: illustrative, (?P<reason>[^>]+?) -->")
_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\s*$")
# (pattern, replacement, why)
SUBSTITUTIONS = [
    (r"\bmake test\b", "make -n test", "the test suite is what runs this test: check that the target exists"),
    # Never let make (re)create the shared virtual environment the copy links to.
    (r"\bmake\b(?! -n)", "make -o .venv/.installed", "the copy's .venv is a link to the real one"),
    (r"(python -m pipeline serve .*)", r"timeout --preserve-status -s TERM 100 \1", "serve runs until stopped: SIGTERM stops it cleanly (exit 0)"),
    (r"/srv/news\b", "seeds", "the example input directory"),
    (r"/srv/newsclean/", "srv/newsclean/", "the example output, inside the copy"),
]


@dataclass(frozen=True)
class Block:
    document: str
    line: int
    lang: str
    code: str
    illustrative: str | None

    @property
    def id(self) -> str:
        return f"{self.document}:{self.line}"


def blocks(document: str) -> list[Block]:
    lines = (ROOT / document).read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m or not m["lang"]:
            i += 1
            continue
        start, i = i, i + 1
        while not lines[i].startswith("```"):
            i += 1
        marker = MARKER.fullmatch(lines[start - 1].strip()) if start else None
        found.append(Block(document, start + 1, m["lang"], "\n".join(lines[start + 1 : i]) + "\n", marker["reason"] if marker else None))
        i += 1
    return found


ALL = [b for d in DOCUMENTS for b in blocks(d) if b.lang in SHELL | {"python"}]


def substituted(code: str) -> str:
    for pattern, replacement, _ in SUBSTITUTIONS:
        code = re.sub(pattern, replacement, code)
    return code


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """The repository without .git, caches and build state; .venv is a link to the real one."""
    root = tmp_path_factory.mktemp("docs") / "repo"
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".*.state", ".*.lock", "node_modules")
    shutil.copytree(ROOT, root, ignore=ignore, symlinks=True)
    (root / ".venv").symlink_to(Path(sys.prefix))
    return root


def _env(root: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HF_"))}
    return keep | {
        "PATH": f"{root / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PREFECT_HOME": str(root.parent / "prefect-home"),
        "HF_HOME": str(root.parent / "hf-home"),
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": str(root),
    }


def test_every_block_is_found_and_every_skip_says_why():
    assert len(ALL) >= 10
    for b in ALL:
        assert b.illustrative is None or len(b.illustrative) > 10, b.id
    # Nothing illustrative that could run: the marker is for the network and running services.
    runnable_markers = [b for b in ALL if b.illustrative and not re.search(r"network|server|scheduler|HTTP", b.illustrative)]
    assert not runnable_markers, [b.id for b in runnable_markers]


@pytest.mark.parametrize("block", ALL, ids=[b.id for b in ALL])
def test_documented_commands_run(block, copy):
    if block.illustrative:
        check = ["bash", "-n"] if block.lang in SHELL else [sys.executable, "-c", "import ast, sys; ast.parse(sys.stdin.read())"]
        done = subprocess.run(check, input=block.code, capture_output=True, text=True)
        assert done.returncode == 0, f"{block.id} does not parse: {done.stderr}"
        return
    code = substituted(block.code)
    if block.lang in SHELL:
        cmd = ["bash", "-euo", "pipefail", "-c", code]
    else:
        cmd = [str(copy / ".venv" / "bin" / "python"), "-c", code]
    done = subprocess.run(cmd, cwd=copy, env=_env(copy), capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, f"{block.id} failed ({done.returncode}):\n{code}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    if "pipeline serve" in code:
        assert "serving deployment" in done.stdout, done.stdout + done.stderr


def test_every_subcommand_help_has_a_description(capsys):
    sub = next(a for a in parser()._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert p.description and p.description[0].isupper() and p.description.endswith("."), name
        with pytest.raises(SystemExit):
            parser().parse_args([name, "--help"])
        assert p.description.split()[0] in capsys.readouterr().out, name
