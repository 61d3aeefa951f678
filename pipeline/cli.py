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
# The temporary API server can take longer than its default 20 s to start on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# Our own phase lines, progress bars and summaries say what happens; Prefect's per-task log
# lines would bury them (PREFECT_LOGGING_LEVEL=INFO brings them back).
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from pipeline.orchestration import progress  # noqa: E402  (after the settings above: it must not import Prefect first)


def _run_options(args: argparse.Namespace) -> dict:
    return {"executor": args.executor, "address": args.address, "workers": args.workers, "state": args.state, "keep_removed": args.keep_removed}


class InvalidInput(ValueError):
    """An input file or option the user gave is unusable; the message says why."""


def _checked_gazetteer(path: str | None) -> None:
    """Read a user gazetteer up front, so a bad file stops the run with one clear line."""
    if path:
        from pipeline.stages.entities import load_gazetteer

        try:
            load_gazetteer(path)
        except ValueError as err:
            raise InvalidInput(f"gazetteer {path}: {err}") from err


def _checked_run(args: argparse.Namespace) -> None:
    """The input, output and options of a build, checked before Prefect is imported or started:
    a missing input, an output the build may not write, or a bad option stop it with one line."""
    from pipeline import io
    from pipeline.incremental.state import default_state_dir, index_problem

    if args.shard_size < 1:
        raise InvalidInput(f"--shard-size must be at least 1, not {args.shard_size}")
    if args.workers is not None and args.workers < 1:
        raise InvalidInput(f"--workers must be at least 1, not {args.workers}")
    if not io.is_url(args.input):
        spec = io.local_path(args.input)
        if not io.is_glob(str(spec)) and not os.path.lexists(spec):
            raise InvalidInput(f"input {args.input} does not exist: give a folder, a file or a glob of .txt/.html files")
    state = Path(args.state) if args.state else default_state_dir(args.out)
    problem = (io.output_problem(args.out, args.input, state) if not io.is_url(args.out) else None) or index_problem(state)
    if problem:
        raise InvalidInput(problem)


def _build(args: argparse.Namespace) -> int:
    _checked_gazetteer(args.gazetteer)
    _checked_run(args)
    from pipeline.orchestration.flows import run_build

    summary = run_build(input=args.input, out=args.out, shard_size=args.shard_size, full=args.full, ner=args.ner, gazetteer=args.gazetteer, **_run_options(args))
    title = f"Nothing to do: {args.out} is up to date" if summary["nothing_to_do"] else f"Built {args.out}"
    progress.summary(title, progress.build_rows(summary))
    return 0


def _serve(args: argparse.Namespace) -> int:
    _checked_gazetteer(args.gazetteer)
    _checked_run(args)
    from pipeline.orchestration.serve import serve
    from pipeline.incremental.state import default_state_dir

    state = Path(args.state) if args.state else default_state_dir(args.out)
    params = {"input": args.input, "out": args.out, "shard_size": args.shard_size, "publish": args.publish, "releases": args.releases, "ner": args.ner, "gazetteer": args.gazetteer} | _run_options(args)
    serve(args.cron, params, state, name=args.name, port=args.port)
    return 0


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input", default="seeds", help="directory, glob or fsspec URL (s3://, gs://, file://) of .txt/.html files (default: seeds)")
    p.add_argument("--out", default="data", help="output directory or fsspec URL (default: data)")
    p.add_argument("--shard-size", type=int, default=1000, help="articles per Prefect task (default: 1000)")
    p.add_argument("--state", help="cache of incremental builds (default: .<out>.state beside the output)")
    p.add_argument("--keep-removed", action="store_true", help="keep the articles of input files that have disappeared")
    p.add_argument("--executor", choices=("local", "dask"), default="local", help="run shards in this process or on Dask (default: local)")
    p.add_argument("--address", help="Dask scheduler, tcp://HOST:PORT (default: a local cluster of --workers processes)")
    p.add_argument("--workers", type=int, help="processes of the local Dask cluster (default: 2)")


def _add_ner_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ner", default="learned", help="entity extractor: learned (the shipped tagger), rules (hand-written) or spacy:NAME_OR_PATH of an installed spaCy pipeline (default: learned)")
    p.add_argument("--gazetteer", help="CSV of extra gazetteer entries (same columns as pipeline/data/gazetteer.csv); they win over shipped ones")


def _annotate(args: argparse.Namespace) -> int:
    from pipeline.annotate import BadRecord, annotations
    from pipeline.build import BuildOptions

    lines = Path(args.input).read_text(encoding="utf-8").splitlines()
    records = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise SystemExit(f"{args.input}:{n}: not a JSON object ({err.msg})") from err
    _checked_gazetteer(args.gazetteer)
    try:
        annotated = annotations(records, BuildOptions(args.ner, args.gazetteer))
    except BadRecord as err:
        raise InvalidInput(f"{args.input}: {err}") from err
    out = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in annotated)
    Path(args.output).write_text(out, encoding="utf-8")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from pipeline.release.publish import PublishError, release

    if args.license is None:
        print("warning: no --license given: the release will say that the publisher stated no licence; pass an SPDX id, e.g. --license CC-BY-4.0", file=sys.stderr)
    try:
        made = release(Path(args.data), Path(args.out), args.version, license=args.license, url=args.url, published=args.date)
    except (PublishError, ValueError) as err:
        raise SystemExit(f"publish: {err}") from err
    if made.created:
        print(f"Released {made.version} in {made.path}: {len(made.files)} files; check with `cd {made.path} && sha256sum -c SHA256SUMS`")
    else:
        print(f"{made.path} already holds this build as release {made.version}; nothing written")
    return 0


def _download(args: argparse.Namespace) -> int:
    from pipeline.release.download import DownloadError, download

    try:
        download(args.source, Path(args.to), say=lambda line: print(line, flush=True))
    except DownloadError as err:
        raise SystemExit(f"download: {err}") from err
    return 0


def _docs(args: argparse.Namespace) -> int:
    import schemas
    from schemas.reference import tables_document

    Path(args.out).write_text(tables_document(schemas.TABLES, schemas.SCHEMA_VERSION), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from pipeline.train import DATA, TARGETS

    out = Path(args.out) if args.out else DATA
    TARGETS[args.target](Path(args.shared), out)
    print(f"trained {args.target} into {out}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline", description="Build and inspect the newsclean dataset.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the dataset from input text files, or bring it up to date", description="Build the dataset from input .txt/.html files into --out, or bring it up to date: only new or changed files are read again.")
    _add_run_options(b)
    b.add_argument("--full", action="store_true", help="discard the cache of incremental builds and rebuild everything")
    _add_ner_options(b)
    b.set_defaults(func=_build)
    srv = sub.add_parser("serve", help="run the build on a cron schedule as a Prefect deployment", description="Run the build on a cron schedule as a Prefect deployment until Ctrl-C; starts a local Prefect server unless PREFECT_API_URL is set.")
    srv.add_argument("--cron", required=True, help='schedule, e.g. "0 * * * *" for hourly')
    _add_run_options(srv)
    srv.add_argument("--publish", action="store_true", help="after a run that changed the dataset, publish a release")
    srv.add_argument("--releases", help="directory of releases for --publish (default: releases)")
    srv.add_argument("--name", default="newsclean", help="deployment name (default: newsclean)")
    srv.add_argument("--port", type=int, help="port of the local Prefect server when PREFECT_API_URL is unset (default: a free one)")
    _add_ner_options(srv)
    srv.set_defaults(func=_serve)
    a = sub.add_parser("annotate", help="annotate JSONL lines of clean text", description="Annotate JSONL lines of clean text with sentences, mentions, quantities, dates and claims.")
    a.add_argument("--input", required=True, help='JSONL with {"id", "text", "published_date"?} per line')
    a.add_argument("--output", required=True, help="JSONL to write")
    _add_ner_options(a)
    a.set_defaults(func=_annotate)
    pub = sub.add_parser("publish", help="make a versioned, immutable release from a validated build", description="Make a versioned, immutable release (Parquet, CSV, metadata, dataset card, browse page) from a validated build.")
    pub.add_argument("--data", default="data", help="the build to publish (default: data)")
    pub.add_argument("--out", default="releases", help="directory of releases (default: releases)")
    pub.add_argument("--version", help="X.Y.Z (default: 0.1.0 first, then the next one after the latest release)")
    pub.add_argument("--license", help="SPDX licence id of the dataset, e.g. CC-BY-4.0 (https://spdx.org/licenses/); without it the release says that none was stated")
    pub.add_argument("--url", help="where the release will be published, for the metadata and citation (default: the metadata point at index.html)")
    pub.add_argument("--date", help="publication date YYYY-MM-DD for the metadata (default: today in UTC; an existing version keeps its own)")
    pub.set_defaults(func=_publish)
    dl = sub.add_parser("download", help="download a release, verifying every sha256 (resumes, skips what is current)", description="Download a release into --to, verifying every file's sha256; resumes partial downloads and skips files already current.")
    dl.add_argument("source", metavar="SOURCE", help="release URL (http/https), local path or fsspec URL")
    dl.add_argument("--to", required=True, help="directory to download into")
    dl.set_defaults(func=_download)
    from pipeline.train import TARGETS, default_shared

    t = sub.add_parser("train", help="rebuild a shipped model from the shared data (byte-identical for the same data)", description="Rebuild a shipped model (ner: the entity tagger; boilerplate: the line classifier and title scorer) from ../shared, byte-identically.")
    t.add_argument("target", choices=sorted(TARGETS), help="which model")
    t.add_argument("--shared", default=str(default_shared()), help="the shared data folder with training/ (default: ../shared beside the repository)")
    t.add_argument("--out", help="folder to write the model into (default: pipeline/data)")
    t.set_defaults(func=_train)
    d = sub.add_parser("docs", help="write docs/tables.md from the pandera models", description="Write the table reference (docs/tables.md) from the pandera models.")
    d.add_argument("--out", default="docs/tables.md", help="file to write (default: docs/tables.md)")
    d.set_defaults(func=_docs)
    return p


def _expected_errors() -> tuple[type[Exception], ...]:
    """Errors with a message a user can act on: shown as one line, not a traceback."""
    from pipeline.orchestration.flows import OutputBusy
    from pipeline.io import OutputError
    from schemas.validate import DatasetInvalid

    return (OutputError, OutputBusy, DatasetInvalid, FileNotFoundError, InvalidInput)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except InvalidInput as err:
        # Raised before Prefect is imported: the handler below would import it.
        print(f"error: {err}", file=sys.stderr)
        return 1
    except _expected_errors() as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
