"""The Prefect layer: wires the pure stages of `pipeline.build` into tasks, one per shard."""

import time
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFutureList

import schemas
from pipeline import __version__, build, io
from pipeline.build import ShardResult

DEFAULT_SHARD_SIZE = 1000


class OutputBusy(RuntimeError):
    """Another build holds the output's lock."""


@task(name="ingest-shard", cache_policy=NO_CACHE)
def ingest_shard(root: str, files: list[str]) -> ShardResult:
    return build.ingested([io.read_input(Path(root), f) for f in files])


@task(name="analyse-shard", cache_policy=NO_CACHE)
def analyse_shard(documents: pl.DataFrame, templates: frozenset[str]) -> ShardResult:
    return build.analysed(documents, templates)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _frame_chunks(frame: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    return [frame.slice(i, size) for i in range(0, frame.height, size)] or [frame]


def _results(futures: PrefectFutureList, what: str) -> list[ShardResult]:
    """Wait for every shard in order, logging progress as they finish."""
    logger = get_run_logger()
    results = []
    for i, future in enumerate(futures, 1):
        results.append(future.result())
        if len(futures) > 1:
            logger.info("%s: shard %d/%d done", what, i, len(futures))
    return results


def _manifest(inputs: pl.DataFrame, reports: list[build.StageReport], tables: dict[str, pl.DataFrame]) -> dict:
    return {
        "dataset": "newsclean",
        "schema_version": schemas.SCHEMA_VERSION,
        "pipeline_version": __version__,
        "tables": {name: frame.height for name, frame in tables.items()},
        "stages": [r.as_dict() for r in reports],
        "inputs": inputs.sort("path").to_dicts(),
    }


@flow(name="build-dataset")
def build_dataset(input: str = "seeds", out: str = "data", shard_size: int = DEFAULT_SHARD_SIZE, wait: bool = True) -> dict:
    """Build the dataset from the input files into `out`; returns a summary of the run."""
    started = time.perf_counter()
    logger = get_run_logger()
    with io.dataset_lock(Path(out), wait=wait) as locked:
        if not locked:
            raise OutputBusy(f"another build is writing {out}; not starting a second one")
        root, files = io.input_files(input)
        logger.info("%d input file(s) under %s, %d shard(s)", len(files), root, len(_chunks(files, shard_size)))
        ingested = _results(ingest_shard.map(unmapped(str(root)), _chunks(files, shard_size)), "ingest")
        documents = build.concatenated(ingested, "documents")
        unique, duplicates, dedupe_report = build.unique_documents(documents)
        templates = build.template_keys(unique)
        analysed = _results(analyse_shard.map(_frame_chunks(unique, shard_size), unmapped(templates)), "analyse")

        ingest_rejects = build.concatenated(ingested, "rejects")
        tables, global_reports = build.dataset(analysed, [ingest_rejects, duplicates])
        schemas.validated(tables, schemas.TABLES)
        reports = build.merged_reports([r.reports for r in ingested] + [[dedupe_report]] + [r.reports for r in analysed] + [global_reports])
        inputs = pl.concat(
            [f.select(pl.col("source_file").alias("path"), pl.col("raw_sha256").alias("sha256"), pl.col("n_bytes").alias("bytes")) for f in (documents, ingest_rejects)]
        )
        io.write_dataset(tables, Path(out), _manifest(inputs, reports, tables))
    return {
        "input_files": len(files),
        "articles": tables["articles"].height,
        "rejected": tables["rejects"].height,
        "rejects_by_reason": dict(sorted(tables["rejects"]["reason"].value_counts().iter_rows())),
        "boilerplate_by_reason": dict(sorted(tables["boilerplate"]["reason"].value_counts().iter_rows())),
        "sentences": tables["sentences"].height,
        "tables": {name: frame.height for name, frame in tables.items()},
        "out": str(out),
        "seconds": round(time.perf_counter() - started, 2),
    }
