"""Build cost at N articles: CPU per MB of raw text, wall time and peak RSS of every process.

    python benchmarks/scale_bench.py --articles 1000 [--articles 10000 ...] [--shared ../shared]
        [--code DIR] [--executor local|dask] [--workers 2] [--shard-size 1000] [--keep DIR]

A synthetic corpus of N distinct articles is written to a temporary folder (never into the
repository: the Reuters and BBC terms forbid redistribution), then `python -m pipeline build`
runs on it in a fresh process, niced, with a fresh output, cache and PREFECT_HOME. `--code DIR`
runs the build from another checkout (e.g. `git archive` of an older commit) to compare.

The corpus: every article of the shared corpora (Reuters-21578 JSONL, BBC News JSONL, Wikinews
JSONL; about 22,000), taken round-robin across the three so that a small N mixes them, each used
once. Near-duplicates would inflate the steps across articles (stories, claim groups, duplicate
sentences), so an article is skipped when its normalised text (lower case, whitespace collapsed)
or the first 300 characters of it equal an earlier one's (Reuters repeats corrected wires).
Past the pool, generation g >= 1 repeats it with the letters of every word replaced through a
fixed per-generation permutation of the alphabet (case, digits, punctuation and layout kept):
the text has the same shape and size, but shares no words, so no sentence or story signature,
with any other generation. Such text is not English: the figures past the pool measure the
machinery, not the stages on real text; the output says how many articles are real.

Prints, per N: raw MB, wall seconds, CPU seconds of the whole process tree (user + system of
the build and all its children), CPU-s per MB and MB per CPU-s, and the peak RSS of every
process of the tree (VmHWM from /proc, polled every 0.2 s, so a process living under 0.2 s can
be missed; the largest child's ru_maxrss is printed too). Speed figures are printed, never asserted.
"""

import argparse
import json
import os
import random
import re
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
SOURCES = ("corpora/reuters21578", "corpora/bbc-news", "corpora/wikinews")
PREFIX_CHARS = 300
POLL_SECONDS = 0.2


def _articles(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if (row.get("text") or "").strip():
                    found.append(((row.get("title") or "").strip(), row["text"].strip()))
    return found


def pool(shared: Path) -> list[tuple[str, str]]:
    """Distinct (title, text) of the shared corpora, round-robin across them (see the module docstring)."""
    sources = [_articles(shared / s) for s in SOURCES if (shared / s).is_dir()]
    seen_text, seen_prefix, out = set(), set(), []
    for i in range(max((len(s) for s in sources), default=0)):
        for source in sources:
            if i >= len(source):
                continue
            title, text = source[i]
            norm = re.sub(r"\s+", " ", text.lower()).strip()
            if norm in seen_text or norm[:PREFIX_CHARS] in seen_prefix:
                continue
            seen_text.add(norm)
            seen_prefix.add(norm[:PREFIX_CHARS])
            out.append((title, text))
    return out


def _cipher(generation: int) -> dict[int, int]:
    rng = random.Random(generation)
    letters = list(string.ascii_lowercase)
    rng.shuffle(letters)
    lower = dict(zip(string.ascii_lowercase, letters))
    return str.maketrans({**lower, **{k.upper(): v.upper() for k, v in lower.items()}})


def write_corpus(articles: list[tuple[str, str]], n: int, folder: Path) -> int:
    """`n` articles as .txt files (title line, blank line, text); returns how many are real text."""
    folder.mkdir(parents=True)
    for i in range(n):
        generation, (title, text) = i // len(articles), articles[i % len(articles)]
        body = f"{title}\n\n{text}\n" if title else f"{text}\n"
        if generation:
            body = body.translate(_cipher(generation))
        (folder / f"{i:07d}.txt").write_text(body, encoding="utf-8")
    return min(n, len(articles))


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, todo = {root}, [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                todo.append(child)
    return tree


def _peak_kb(pid: int) -> tuple[str, int] | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            fields = dict(line.split(":", 1) for line in fh if ":" in line)
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
        return cmd[:90], int(fields["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        return None


def measured_build(code: Path, corpus: Path, work: Path, executor: str, workers: int, shard_size: int) -> dict:
    env = os.environ | {
        "PREFECT_HOME": str(work / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING", "PYTHONPATH": str(code),
    }
    cmd = ["nice", "-n", "10", sys.executable, "-m", "pipeline", "build", "--input", str(corpus), "--out", str(work / "data"),
           "--shard-size", str(shard_size), "--executor", executor, *(["--workers", str(workers)] if executor == "dask" else [])]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=open(work / "build.log", "w"))
    peaks: dict[int, tuple[str, int]] = {}
    while proc.poll() is None:
        for pid in _descendants(proc.pid):
            seen = _peak_kb(pid)
            if seen and seen[1] >= peaks.get(pid, ("", 0))[1]:
                peaks[pid] = seen
        time.sleep(POLL_SECONDS)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"build failed ({proc.returncode}); see {work / 'build.log'}:\n" + (work / "build.log").read_text()[-2000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "peaks": peaks, "max_child_kb": after.ru_maxrss}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, action="append", help="corpus size; repeat for several (default: 1000)")
    p.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    p.add_argument("--code", type=Path, default=REPO, help="checkout whose pipeline builds (default: this one)")
    p.add_argument("--executor", choices=("local", "dask"), default="local")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--shard-size", type=int, default=1000)
    p.add_argument("--keep", type=Path, help="write corpora and builds here and keep them (default: a temporary folder, removed)")
    args = p.parse_args(argv)
    articles = pool(args.shared)
    if not articles:
        print(f"no corpora under {args.shared}; nothing to measure")
        return 0
    base = args.keep or Path(tempfile.mkdtemp(prefix="newsclean-scale-"))
    try:
        for n in args.articles or [1000]:
            work = base / f"n{n}"
            shutil.rmtree(work, ignore_errors=True)
            real = write_corpus(articles, n, work / "corpus")
            mb = sum(f.stat().st_size for f in (work / "corpus").iterdir()) / 1e6
            got = measured_build(args.code.resolve(), work / "corpus", work, args.executor, args.workers, args.shard_size)
            print(f"N={n} ({real} real articles, pool {len(articles)}), {mb:.2f} MB raw, executor {args.executor}, code {args.code}")
            print(f"  wall {got['wall']:.1f} s, CPU {got['cpu']:.1f} s: {got['cpu'] / mb:.1f} CPU-s/MB, {mb / got['cpu']:.3f} MB per CPU-s")
            print(f"  peak RSS of each process (MB), largest child's ru_maxrss {got['max_child_kb'] / 1024:.0f} MB:")
            for cmd, kb in sorted(got["peaks"].values(), key=lambda x: -x[1]):
                print(f"    {kb / 1024:8.0f}  {cmd}")
            sys.stdout.flush()
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
