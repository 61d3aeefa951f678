"""The stage interface: what a stage is, how stages run, and how their rows are counted.

A stage is a function named after what it produces, taking the tables it needs as keyword
arguments named after those tables (Hamilton's rule: the parameter names are the wiring), and
its rules; it returns an `Output`: its tables, and the rows it dropped by reason. A `Stage` entry
declares the rest: the tables it produces, the one unit its counts are in, which table's rows are
that unit going in and coming out, a cap on its rows, and the field of the rules bundle that
feeds it. `run` calls the stages of a list in order and does the counting for every one of them
(datatrove's `BaseFilter` counts for each step), so no stage can forget to count: rows in, rows
out, dropped by reason, and the rows that went missing without a reason as `unexplained`.

Counts are kept per owner (the source file or article a row belongs to) so that a shard analysed
as one batch still yields the report each document would have had alone, for the cache.
"""

import inspect
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from typing import Any

import polars as pl

UNEXPLAINED = "unexplained"  # rows of a filtering stage's unit that left it with no reason given
# One row per (owner, kind of count, reason): what `run` records of each stage it counts.
TALLY_SCHEMA = {"by": pl.Utf8, "owner": pl.Utf8, "kind": pl.Utf8, "reason": pl.Utf8, "n": pl.Int64}
OWNERS = ("source_file", "article_id")  # the columns that say whose a row is, the coarsest first


@dataclass
class StageReport:
    """What one stage did: rows in and out and rows removed by reason, all in `unit`; `counted`
    holds other counts, each named with its own unit (e.g. boilerplate spans cut from articles)."""

    stage: str
    rows_in: int = 0
    rows_out: int = 0
    removed: Counter = field(default_factory=Counter)
    unit: str = "rows"
    counted: Counter = field(default_factory=Counter)

    def merged(self, other: "StageReport") -> "StageReport":
        return StageReport(self.stage, self.rows_in + other.rows_in, self.rows_out + other.rows_out, self.removed + other.removed, self.unit, self.counted + other.counted)

    def as_dict(self) -> dict:
        # `unit` and `counted` come last: the manifest's older keys keep their place.
        return {
            "stage": self.stage, "rows_in": self.rows_in, "rows_out": self.rows_out, "removed": dict(sorted(self.removed.items())),
            "unit": self.unit, "counted": dict(sorted(self.counted.items())),
        }


def tally(frame: pl.DataFrame, reason: str | None = None, by: str | None = None, prefix: str = "") -> pl.DataFrame:
    """The rows of `frame` counted per owner (its first `OWNERS` column) and reason: the literal
    `reason`, or the values of column `by` (prefixed with `prefix`). Columns of `TALLY_SCHEMA` less `kind`."""
    owner = next((c for c in OWNERS if c in frame.columns), None)
    why = pl.lit(reason) if by is None else pl.lit(prefix) + pl.col(by).cast(pl.Utf8)
    return (
        frame.group_by(pl.lit(owner, dtype=pl.Utf8).alias("by"), (pl.col(owner) if owner else pl.lit(None)).cast(pl.Utf8).alias("owner"), why.alias("reason"))
        .agg(pl.len().cast(pl.Int64).alias("n"))
    )


def no_tally() -> pl.DataFrame:
    return pl.DataFrame(schema={k: v for k, v in TALLY_SCHEMA.items() if k != "kind"})


@dataclass(frozen=True)
class Output:
    """What a stage function returns: its tables (or intermediate values) by name, the rows of its
    unit it dropped (a `tally`), and other counts (a `tally` whose reasons name their unit)."""

    tables: dict[str, Any]
    removed: pl.DataFrame = field(default_factory=no_tally)
    counted: pl.DataFrame = field(default_factory=no_tally)


@dataclass(frozen=True)
class Cap:
    """At most `limit` rows of table `table` per value of `within` (the first by `start`); rows
    past it are dropped as `reason`. `limit` is a number, or the path of a field of the rules
    bundle that holds it (e.g. "caps.max_claims_per_sentence")."""

    table: str
    within: str
    limit: int | str
    reason: str

    def of(self, rules: object | None) -> int:
        return self.limit if isinstance(self.limit, int) else attrgetter(self.limit)(rules)


def capped_rows(frame: pl.DataFrame, within: str, cap: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The first `cap` rows (by start) of each value of `within`, in their order, and the rows dropped."""
    if frame.height <= cap:
        return frame, frame.clear()
    first = pl.col("start").rank("ordinal").over(within) <= cap
    return frame.filter(first), frame.filter(~first)


@dataclass(frozen=True)
class Stage:
    """One entry of a stage list.

    `run` is the stage function; the tables it needs are its parameter names (less `rules`).
    `produces` names what it returns. `report` is its name in the manifest's `stages` (None for an
    intermediate step whose output is no dataset row: template lines, date detections, features);
    its counts are in `unit`: rows out are the rows of table `rows_out`, rows in those of table
    `rows_in` for a stage that filters a table it reads, or (None) for a stage that makes new rows,
    the rows it made before dropping any. `rules` is the field of the rules bundle passed to it.
    """

    run: Callable[..., Output]
    produces: tuple[str, ...]
    report: str | None = None
    unit: str = "rows"
    rows_out: str | None = None
    rows_in: str | None = None
    cap: Cap | None = None
    rules: str | None = None

    @property
    def name(self) -> str:
        return self.run.__name__

    @property
    def needs(self) -> tuple[str, ...]:
        return tuple(p for p in inspect.signature(self.run).parameters if p != "rules")

    def call(self, tables: Mapping[str, Any], rules: object | None = None) -> Output:
        """The stage function on its tables from `tables`, and its field of the rules bundle: no cap, no counts."""
        kwargs = {n: tables[n] for n in self.needs}
        if self.rules:
            kwargs["rules"] = getattr(rules, self.rules)
        return self.run(**kwargs)


def making(stages: Sequence[Stage], *products: str) -> tuple[Stage, ...]:
    """The stages of `stages` that make any of `products`, in order."""
    return tuple(s for s in stages if set(s.produces) & set(products))


def upto(stages: Sequence[Stage], *products: str) -> tuple[Stage, ...]:
    """The stages of `stages` up to the last one that makes any of `products`."""
    last = stages.index(making(stages, *products)[-1])
    return tuple(stages[: last + 1])


Around = Callable[[Stage, Callable[[], Output]], Output]


def _rows(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    return tally(frame, "").with_columns(pl.lit(kind).alias("kind"))


def run(stages: Sequence[Stage], tables: Mapping[str, Any], rules: object | None = None, around: Around | None = None) -> tuple[dict[str, Any], pl.DataFrame]:
    """Run `stages` in order over `tables` (and what earlier stages produce); returns every table
    and the counts of the stages that report (a frame of `TALLY_SCHEMA` plus `stage`, `unit` and
    `filters`, read by `reports` and `reports_by_document`).

    A stage whose products are all given in `tables` (from a cache: what `Stage.call` returned) is
    not called, but it is still capped and counted: given rows count as made with no drops.
    `rules` is the rules bundle: each stage gets its field `stage.rules`, each cap its limit.
    `around(stage, call)`, when given, calls each stage function (a benchmark times it).
    """
    found = dict(tables)
    counts = []
    for stage in stages:
        missing = [n for n in stage.needs if n not in found]
        if missing:
            raise KeyError(f"stage {stage.name} needs {', '.join(missing)}, which no earlier stage produces")
        if all(p in found for p in stage.produces):
            out = Output({p: found[p] for p in stage.produces})
        else:
            call = partial(stage.call, found, rules)
            out = call() if around is None else around(stage, call)
        made = dict(out.tables)
        removed = [out.removed]
        if stage.cap is not None:
            made[stage.cap.table], dropped = capped_rows(made[stage.cap.table], stage.cap.within, stage.cap.of(rules))
            removed.append(tally(dropped, stage.cap.reason))
        found.update(made)
        if stage.report is None:
            continue
        # A zero row first: a stage that saw no rows still has its report.
        none = pl.DataFrame({"by": [None], "owner": [None], "kind": ["out"], "reason": [""], "n": [0]}, schema=TALLY_SCHEMA)
        parts = [none, _rows(made[stage.rows_out], "out"), *(r.with_columns(pl.lit("removed").alias("kind")) for r in removed), out.counted.with_columns(pl.lit("counted").alias("kind"))]
        if stage.rows_in is not None:
            parts.append(_rows(found[stage.rows_in] if stage.rows_in not in made else made[stage.rows_in], "in"))
        frame = pl.concat([p.select(*TALLY_SCHEMA) for p in parts], how="vertical")
        counts.append(frame.with_columns(pl.lit(stage.report).alias("stage"), pl.lit(stage.unit).alias("unit"), pl.lit(stage.rows_in is not None).alias("filters")))
    schema = {**TALLY_SCHEMA, "stage": pl.Utf8, "unit": pl.Utf8, "filters": pl.Boolean}
    return found, pl.concat(counts, how="vertical") if counts else pl.DataFrame(schema=schema)


def _report(stage: str, unit: str, filters: bool, rows: Iterable[tuple[str, str, int]]) -> StageReport:
    """A report from (kind, reason, n) counts; rows a filtering stage lost without a reason are `unexplained`."""
    report = StageReport(stage, unit=unit)
    for kind, reason, n in rows:
        if kind == "out":
            report.rows_out += n
        elif kind == "in":
            report.rows_in += n
        elif n:
            (report.removed if kind == "removed" else report.counted)[reason] += n
    made = report.rows_out + sum(report.removed.values())
    if not filters:
        report.rows_in = made
    elif report.rows_in > made:
        report.removed[UNEXPLAINED] += report.rows_in - made
    return report


def reports(counts: pl.DataFrame) -> list[StageReport]:
    """One report per stage of `run`'s counts, in the stages' order."""
    grouped = counts.group_by("stage", "unit", "filters", "kind", "reason", maintain_order=True).agg(pl.col("n").sum())
    by_stage: dict[tuple, list] = {}
    for stage, unit, filters, kind, reason, n in grouped.iter_rows():
        by_stage.setdefault((stage, unit, filters), []).append((kind, reason, n))
    return [_report(*key, rows) for key, rows in by_stage.items()]


def reports_by_document(counts: pl.DataFrame, articles: pl.DataFrame, source_files: Sequence[str]) -> list[list[StageReport]]:
    """The reports each of `source_files` would have had if its document had run alone, in their
    order: counts owned by an article go to the article's source file (`articles`: article_id, source_file)."""
    of_article = articles.select(pl.lit("article_id").alias("by"), pl.col("article_id").alias("owner"), pl.col("source_file").alias("_file"))
    owned = counts.join(of_article, on=["by", "owner"], how="left").with_columns(pl.coalesce("_file", pl.when(pl.col("by") == "source_file").then(pl.col("owner"))).alias("_file"))
    stages = counts.select("stage", "unit", "filters").unique(maintain_order=True).rows()
    per_file: dict[str, dict[str, list]] = {}
    for file, stage, kind, reason, n in owned.group_by("_file", "stage", "kind", "reason", maintain_order=True).agg(pl.col("n").sum()).iter_rows():
        per_file.setdefault(file, {}).setdefault(stage, []).append((kind, reason, n))
    return [[_report(stage, unit, filters, per_file.get(f, {}).get(stage, [])) for stage, unit, filters in stages] for f in source_files]
