"""The stages of the pipeline: pure functions over Polars frames, one module per stage; no I/O, no Prefect.

Their order is written once, in `pipeline.stages.order`; the stage interface is `pipeline.core.stage`.
"""
