"""Time and peak memory of the pure build on one long sentence of numbers, names or dates.

Each case runs in its own child process under a 4 GiB address-space limit (RLIMIT_AS), so a
regression to quadratic cost fails that case ("over the memory limit") instead of taking the
machine down. Figures: wall seconds, CPU seconds and peak resident memory (ru_maxrss) of the
child, which include the ~0.3 GB of importing Polars and the stages. Linear cost shows as
seconds and memory growing no faster than the input.

Run: nice -n 10 .venv/bin/python benchmarks/long_inputs_bench.py [--sizes 1000,120000,1500000] [--kinds numbers,names,dates]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 4 << 30
SIZES = (1_000, 120_000, 1_500_000)
KINDS = ("numbers", "names", "dates")
TIMEOUT_S = 600

# Pieces repeated to the wanted size, inside one sentence (commas only, one full stop at the end).
_PIECES = {
    "numbers": lambda i: f"{i + 1}, ",
    "names": lambda i: ("Joe Biden, Angela Merkel, Emmanuel Macron, Boris Johnson, ", "Mustafa al-Kazemi, Justin Trudeau, ")[i % 2],
    "dates": lambda i: ("on 3 March 2021, ", "in May 2020, ", "on Monday, ")[i % 3],
}
_HEADS = {"numbers": "The counts were ", "names": "The leaders present were ", "dates": "The talks took place "}
_TAILS = {"numbers": "troops.", "names": "officials said.", "dates": "officials said."}


def text_of(kind: str, size: int) -> str:
    parts, length, i = [_HEADS[kind]], len(_HEADS[kind]) + len(_TAILS[kind]), 0
    while length < size:
        piece = _PIECES[kind](i)
        parts.append(piece)
        length += len(piece)
        i += 1
    parts.append(_TAILS[kind])
    return "".join(parts)


def _child(kind: str, size: int) -> None:
    """Build one input file of one sentence and print the figures as JSON."""
    import tempfile
    import time

    sys.path.insert(0, str(ROOT))
    from pipeline import build, io

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "long.txt").write_text(text_of(kind, size), encoding="utf-8")
        wall, cpu = time.perf_counter(), time.process_time()
        root, files = io.input_files(tmp)
        tables, reports = build.built([io.read_input(root, f) for f in files])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    caps = {r.stage: dict(r.removed) for r in reports if any("cap" in k for k in r.removed)}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rows = {name: frame.height for name, frame in tables.items() if name in ("sentences", "mentions", "quantities", "dates", "claims")}
    print(json.dumps({"wall_s": wall, "cpu_s": cpu, "peak_bytes": peak, "rows": rows, "caps": caps}))


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_case(kind: str, size: int) -> dict:
    try:
        done = subprocess.run([sys.executable, __file__, "--child", kind, str(size)], capture_output=True, text=True,
                              preexec_fn=_limited, timeout=TIMEOUT_S, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"over {TIMEOUT_S} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": "over the memory limit" if "MemoryError" in done.stderr or done.returncode < 0 else last}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=",".join(map(str, SIZES)))
    p.add_argument("--kinds", default=",".join(KINDS))
    p.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return
    print(f"{'kind':8} {'bytes':>10} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}  rows / caps hit")
    for kind in args.kinds.split(","):
        for size in map(int, args.sizes.split(",")):
            got = run_case(kind, size)
            if "error" in got:
                print(f"{kind:8} {size:>10} {'-':>8} {'-':>8} {'-':>8}  {got['error']}", flush=True)
                continue
            print(f"{kind:8} {size:>10} {got['wall_s']:>8.2f} {got['cpu_s']:>8.2f} {got['peak_bytes'] / 1e6:>8.0f}  {got['rows']} {got['caps']}", flush=True)


if __name__ == "__main__":
    main()
