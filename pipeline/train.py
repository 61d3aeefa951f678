"""`python -m pipeline train TARGET`: rebuild a shipped model from the training data.

Each target is a function (shared, out) -> None: `shared` is the shared data folder (with
training/), `out` the folder the model files are written into. Training is deterministic (sorted
inputs, fixed seeds), so the same data gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"

# The NER training files (see ../shared/training/SOURCES.md); WNUT17's test split is kept for measuring.
NER_FILES = ("btc.jsonl", "redocred.jsonl", "wikigold.jsonl", "wnut17_dev.jsonl", "wnut17_train.jsonl")
NER_NOTICE = "ner_tagger.NOTICE.md"


def default_shared() -> Path:
    return Path(__file__).resolve().parents[1] / ".." / "shared"


def default_out(target: str) -> Path:
    return DATA


def train_ner(shared: Path, out: Path) -> None:
    """The entity tagger (pipeline/data/ner_tagger.npz) from training/ner, with its NOTICE."""
    from pipeline import tagger
    from pipeline.entities import load_gazetteer

    folder = Path(shared) / "training" / "ner"
    missing = [name for name in NER_FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"training data not found in {folder}: {', '.join(missing)}")
    data = tagger.training_sentences([folder / name for name in NER_FILES], load_gazetteer())
    arrays = tagger.train_model(data, load_gazetteer())
    out.mkdir(parents=True, exist_ok=True)
    tagger.save(out / tagger.MODEL_PATH.name, arrays)
    if out.resolve() != DATA.resolve():
        (out / NER_NOTICE).write_text((DATA / NER_NOTICE).read_text(encoding="utf-8"), encoding="utf-8")


TARGETS = {"ner": train_ner}
