"""Command line: `python -m pipeline build|annotate ...`."""

import argparse
import json
import os
import sys
from pathlib import Path

# Prefect reads these at import: keep it offline and quiet before anything imports it.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")


def _summary_lines(summary: dict) -> list[str]:
    def counts(d: dict) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"

    return [
        f"Built {summary['out']} in {summary['seconds']:.1f} s",
        f"  input files   {summary['input_files']}",
        f"  articles      {summary['articles']}",
        f"  rejected      {summary['rejected']} ({counts(summary['rejects_by_reason'])})",
        f"  boilerplate   {sum(summary['boilerplate_by_reason'].values())} span(s) removed: {counts(summary['boilerplate_by_reason'])}",
        f"  sentences     {summary['sentences']}",
        "  tables        " + ", ".join(f"{k} {v}" for k, v in summary["tables"].items()),
    ]


def _build(args: argparse.Namespace) -> int:
    from pipeline.flows import build_dataset

    summary = build_dataset(input=args.input, out=args.out, shard_size=args.shard_size)
    print("\n".join(_summary_lines(summary)))
    return 0


def _annotate(args: argparse.Namespace) -> int:
    from pipeline.annotate import annotations

    lines = Path(args.input).read_text(encoding="utf-8").splitlines()
    records = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise SystemExit(f"{args.input}:{n}: not a JSON object ({err.msg})") from err
    out = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in annotations(records))
    Path(args.output).write_text(out, encoding="utf-8")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline", description="Build and inspect the newsclean dataset.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the dataset from input text files")
    b.add_argument("--input", default="seeds", help="directory or glob of .txt/.html files (default: seeds)")
    b.add_argument("--out", default="data", help="output directory (default: data)")
    b.add_argument("--shard-size", type=int, default=1000, help="articles per Prefect task (default: 1000)")
    b.set_defaults(func=_build)
    a = sub.add_parser("annotate", help="annotate JSONL lines of clean text")
    a.add_argument("--input", required=True, help='JSONL with {"id", "text", "published_date"?} per line')
    a.add_argument("--output", required=True, help="JSONL to write")
    a.set_defaults(func=_annotate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
