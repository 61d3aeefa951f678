"""Command line: `python -m pipeline build|serve|annotate|publish|download|train|docs`.

Each command turns its arguments into one call of the module that does the work, and the errors
a user can act on into one line; the checks and the work live in those modules.
"""

import argparse
import sys
from pathlib import Path

from pipeline.checks import InvalidInput, checked_run
from pipeline.orchestration import progress  # sets Prefect's settings; imports no Prefect


def _run_options(args: argparse.Namespace) -> dict:
    return {"executor": args.executor, "address": args.address, "workers": args.workers, "state": args.state, "keep_removed": args.keep_removed}


def _checked(args: argparse.Namespace) -> None:
    checked_run(args.input, args.out, args.state, args.shard_size, args.workers, args.gazetteer)


def _build(args: argparse.Namespace) -> int:
    _checked(args)
    from pipeline.orchestration.flows import run_build

    progress.build_summary(args.out, run_build(input=args.input, out=args.out, shard_size=args.shard_size, full=args.full, ner=args.ner, gazetteer=args.gazetteer, **_run_options(args)))
    return 0


def _serve(args: argparse.Namespace) -> int:
    _checked(args)
    from pipeline.orchestration.serve import serve

    params = {"input": args.input, "out": args.out, "shard_size": args.shard_size, "publish": args.publish, "releases": args.releases, "ner": args.ner, "gazetteer": args.gazetteer} | _run_options(args)
    serve(args.cron, params, name=args.name, port=args.port)
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
    from pipeline.annotate import annotate_file
    from pipeline.build import BuildOptions

    annotate_file(Path(args.input), Path(args.output), BuildOptions(args.ner, args.gazetteer))
    return 0


def _publish(args: argparse.Namespace) -> int:
    from pipeline.release.publish import PublishError, publish

    try:
        publish(Path(args.data), Path(args.out), args.version, license=args.license, url=args.url, published=args.date)
    except (PublishError, ValueError) as err:
        raise SystemExit(f"publish: {err}") from err
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
    from pipeline.io import OutputBusy, OutputError
    from schemas.validate import DatasetInvalid

    return (OutputError, OutputBusy, DatasetInvalid, FileNotFoundError)


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
