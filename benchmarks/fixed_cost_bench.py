"""The fixed cost of a small build: where the seconds of `python -m pipeline build` go on the seeds.

Each run is a fresh process with a fresh output and cache, started with `--full`, and a fresh
`PREFECT_HOME` (as a first build on a new machine: the temporary server creates its database), or
with `--keep-home` one `PREFECT_HOME` for every run after an unmeasured first build (as a user's
builds share `~/.prefect`: the server finds its database made). The command's phase lines (`[  3.1 s] ...` on stderr) and
the moment each line arrives split its wall time into:

- imports and checks: from the start to the line announcing Prefect's temporary server (or to the
  first line of the flow, when the server is started earlier, or when PREFECT_API_URL is set);
- server: from there to the flow's first phase ("listing the input files"): the server's start
  and the flow run's creation on it;
- flow: from there to the summary's last line;
- exit: from the summary to the process's end (Prefect's shutdown and the interpreter's).

Plus the CPU seconds of the build and every process it started (the server's included), and,
in a separate process, the seconds to import the modules a build imports. Medians of `--runs`.
Prints figures only; nothing is asserted.

    .venv/bin/python benchmarks/fixed_cost_bench.py --runs 5
"""

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASE = re.compile(r"^\[\s*([\d.]+) s\] (.*)$")
IMPORTS = "import pipeline.cli, pipeline.checks, pipeline.orchestration.flows"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _env(home: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return env | {"PREFECT_HOME": home, "PYTHONDONTWRITEBYTECODE": "1"}


def import_seconds(python: str, code: Path) -> float:
    """Wall seconds to import what a build imports, in a fresh interpreter (bytecode cached)."""
    with tempfile.TemporaryDirectory(prefix="fixed-cost-") as home:
        started = time.perf_counter()
        subprocess.run([python, "-c", IMPORTS], cwd=code, env=_env(home), check=True)
        return time.perf_counter() - started


def one_build(python: str, code: Path, extra: list[str], home: Path | None = None) -> dict[str, float]:
    """One build of the seeds (Prefect's home: `home`, else a fresh one); returns its phases' wall seconds and its CPU seconds."""
    with tempfile.TemporaryDirectory(prefix="fixed-cost-") as scratch:
        out = Path(scratch) / "data"
        if home is None:
            home = Path(scratch) / "prefect"
            home.mkdir()
        cpu_before = _children_cpu()
        started = time.perf_counter()
        proc = subprocess.Popen(
            [python, "-m", "pipeline", "build", "--input", str(ROOT / "seeds"), "--out", str(out), "--full", *extra],
            cwd=code, env=_env(str(home)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        server = flow = last = None
        for line in proc.stderr:
            now = time.perf_counter() - started
            match = PHASE.match(line.strip())
            if match and "temporary server" in match.group(2):
                server = now
            elif match and flow is None and match.group(2).startswith("listing the input files"):
                flow = now
            last = now
        if proc.wait() != 0:
            raise SystemExit(f"the build failed with exit status {proc.returncode}")
        ended = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        shutil.rmtree(out, ignore_errors=True)
    if flow is None or last is None:
        raise SystemExit("the build printed no phase lines: cannot split its time")
    server = flow if server is None else server
    return {"imports and checks": server, "server": flow - server, "flow": last - flow, "exit": ended - last, "wall": ended, "CPU": cpu}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="builds to take the median of (default 5)")
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout to build with (default: this one), to compare")
    ap.add_argument("--keep-home", action="store_true", help="one PREFECT_HOME for every run, after an unmeasured first build")
    ap.add_argument("--python", default=sys.executable, help="the interpreter (default: this one)")
    ap.add_argument("build_args", nargs="*", help="more options for the build, after --, e.g. -- --executor dask --workers 2")
    args = ap.parse_args(argv)
    import_seconds(args.python, args.code)  # warms the bytecode and file caches, not counted
    imports = [import_seconds(args.python, args.code) for _ in range(args.runs)]
    with tempfile.TemporaryDirectory(prefix="fixed-cost-home-") as kept:
        home = Path(kept) if args.keep_home else None
        if home is not None:
            one_build(args.python, args.code, args.build_args, home)
        runs = [one_build(args.python, args.code, args.build_args, home) for _ in range(args.runs)]
    which = "one kept PREFECT_HOME" if args.keep_home else "a fresh PREFECT_HOME each"
    print(f"seeds build, {args.runs} run(s) with {args.code}, {which}: median (min-max) seconds")
    print(f"  {'imports alone':20} {statistics.median(imports):6.2f} ({min(imports):.2f}-{max(imports):.2f})")
    for key in runs[0]:
        values = [r[key] for r in runs]
        print(f"  {key:20} {statistics.median(values):6.2f} ({min(values):.2f}-{max(values):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
