"""What a person at the terminal sees while the pipeline works (rich, on stderr).

A line as each phase starts, with the seconds since the command started; a progress bar over
shards when stderr is a terminal and there is more than one shard; a summary table at the end.
Without a terminal (logs, CI, pipes) only the phase lines and the summary are written, as plain
text. stdout is left to results.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

_STARTED = time.perf_counter()
# No colour codes or wrapping when stderr is not a terminal: rich decides at each write, so a
# replaced sys.stderr (pytest, a log file) is honoured.
_CONSOLE = Console(stderr=True, highlight=False, soft_wrap=True)


def phase(text: str) -> None:
    """Announce a phase: `[  9.8 s] text`."""
    _CONSOLE.print(f"[{time.perf_counter() - _STARTED:6.1f} s] {text}", markup=False)


@contextmanager
def shards(what: str, total: int) -> Iterator:
    """A progress bar over `total` shards (on a terminal, when there are several); yields `advance()`."""
    if total < 2 or not _CONSOLE.is_terminal:
        yield lambda: None
        return
    columns = (TextColumn("  {task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("shards"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=_CONSOLE, transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"


def build_rows(summary: dict) -> list[tuple[str, str]]:
    """The rows of a build summary (what `pipeline.orchestration.flows.build_dataset` returns)."""
    if summary.get("skipped"):
        return [("skipped", f"another build was writing {summary['out']}")]
    rows = [("output", str(summary["out"])), ("seconds", f"{summary['seconds']:.1f}"), ("input files", str(summary["input_files"]))]
    if summary.get("nothing_to_do"):
        return rows + [("changes", "none: the output is up to date")]
    rows += [
        ("articles", str(summary["articles"])),
        ("rejected", f"{summary['rejected']} ({_counts(summary['rejects_by_reason'])})"),
        ("boilerplate", f"{sum(summary['boilerplate_by_reason'].values())} span(s) removed: {_counts(summary['boilerplate_by_reason'])}"),
        ("sentences", str(summary["sentences"])),
        ("tables", _counts(summary["tables"])),
    ]
    done = summary.get("incremental")
    if done:
        rows.append((
            "incremental",
            f"read {done['files_read']} file(s), decoded {done['files_decoded']}, analysed {done['documents_analysed']} document(s), "
            f"extracted the claims of {done['claims_extracted']} article(s); {done['removed']} removed input(s), {done['kept']} kept",
        ))
    return rows


def build_summary(out: str, result: dict) -> None:
    """The summary of a build of `out` from the command line (`result`: what the build returned)."""
    summary(f"Nothing to do: {out} is up to date" if result["nothing_to_do"] else f"Built {out}", build_rows(result))


def summary(title: str, rows: list[tuple[str, str]]) -> None:
    """A two-column table on stderr (plain text without a terminal)."""
    table = Table(title=Text(title), title_justify="left", show_header=False, box=None, padding=(0, 2, 0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(Text(key), Text(value))  # Text: a path with [brackets] is not markup
    with _CONSOLE.capture() as captured:
        _CONSOLE.print(table)
    # rich pads every line to the table's width: no trailing blanks in logs.
    _CONSOLE.file.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))
    _CONSOLE.file.flush()
