"""The stages of the pipeline: pure functions over Polars frames, one module per stage; no I/O, no Prefect."""
