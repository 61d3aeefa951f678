"""Up-front checks of a run's inputs and options: a bad one stops it with one line, before
Prefect is imported or started (so nothing here may import it)."""

import os


class InvalidInput(ValueError):
    """An input file or option the user gave is unusable; the message says why."""


def checked_gazetteer(path: str | None) -> None:
    """Read a user gazetteer up front, so a bad file stops the run with one clear line."""
    if path:
        from pipeline.stages.entities import load_gazetteer

        try:
            load_gazetteer(path)
        except ValueError as err:
            raise InvalidInput(f"gazetteer {path}: {err}") from err


def checked_run(input: str, out: str, state: str | None, shard_size: int, workers: int | None, gazetteer: str | None) -> None:
    """The input, output and options of a build (or of a served one): a missing input, an output
    the build may not write, a bad option or gazetteer raise InvalidInput."""
    checked_gazetteer(gazetteer)
    from pipeline import io
    from pipeline.incremental.state import index_problem, state_dir

    if shard_size < 1:
        raise InvalidInput(f"--shard-size must be at least 1, not {shard_size}")
    if workers is not None and workers < 1:
        raise InvalidInput(f"--workers must be at least 1, not {workers}")
    if not io.is_url(input):
        spec = io.local_path(input)
        if not io.is_glob(str(spec)) and not os.path.lexists(spec):
            raise InvalidInput(f"input {input} does not exist: give a folder, a file or a glob of .txt/.html files")
    folder = state_dir(out, state)
    problem = (io.output_problem(out, input, folder) if not io.is_url(out) else None) or index_problem(folder)
    if problem:
        raise InvalidInput(problem)
