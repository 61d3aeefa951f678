"""Cost of full, incremental and no-op builds, and single-process vs Dask throughput.

    python benchmarks/incremental_bench.py [--corpus DIR] [--limit N] [--add 0.01] [--workers 2] [--no-dask]

Links the first N .txt files of the corpus into a temporary input folder (outside the
repository; the corpora must not be copied into it), minus the last `--add` share, then times:
a full build; an incremental build after linking the missing share in; a build with nothing to
do; and full builds (fresh output and state) in this process and on a local Dask cluster of
`--workers` processes. Each build is the Prefect flow as `python -m pipeline build` runs it.
Skips cleanly when the corpus is absent. Prints one line per measurement.
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import io  # noqa: E402
from pipeline.orchestration.flows import run_build  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reuters21578-txt"


def _timed(label: str, n_files: int, **params) -> dict:
    t0 = time.perf_counter()
    summary = run_build(**params)
    dt = time.perf_counter() - t0
    done = summary["incremental"]
    print(
        f"{label:<34}{dt:>8.1f} s {n_files / dt:>8.0f} files/s   read {done['files_read']:>6}  decoded {done['files_decoded']:>6}  "
        f"analysed {done['documents_analysed']:>6}  claims of {done['claims_extracted']:>6}  nothing_to_do={summary['nothing_to_do']}  "
        f"peak RSS MB: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}, "
        f"largest child {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}",
        flush=True,
    )
    return summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--limit", type=int, default=None, help="use the first N files (default: all)")
    p.add_argument("--add", type=float, default=0.01, help="share of files added for the incremental build (default: 0.01)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--shard-size", type=int, default=250, help="files per task; several shards per worker (default: 250)")
    p.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    args = p.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus {args.corpus} not found; nothing to measure")
        return 0
    _, files = io.input_files(args.corpus)
    files = files[: args.limit]
    n_new = max(1, round(len(files) * args.add))
    with tempfile.TemporaryDirectory(prefix="newsclean-bench-") as tmp:
        inp, out = Path(tmp) / "in", Path(tmp) / "data"
        inp.mkdir()

        def link(names: list[str]) -> None:
            for name in names:
                (inp / name).parent.mkdir(parents=True, exist_ok=True)
                (inp / name).symlink_to(args.corpus / name)

        link(files[:-n_new])
        print(f"corpus {args.corpus.name}: {len(files)} files, incremental step adds {n_new}; shard size {args.shard_size}; load average {os.getloadavg()[0]:.1f}")
        common = {"out": str(out), "shard_size": args.shard_size, "input": str(inp)}
        _timed(f"full build ({len(files) - n_new} files)", len(files) - n_new, **common)
        link(files[-n_new:])
        _timed(f"incremental (+{n_new} files)", n_new, **common)
        _timed("nothing to do", len(files), **common)
        if not args.no_dask:
            for label, extra in (("full, single process", {}), (f"full, Dask {args.workers} workers", {"executor": "dask", "workers": args.workers})):
                shutil.rmtree(out, ignore_errors=True)
                _timed(label, len(files), **common, full=True, **extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
