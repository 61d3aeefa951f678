"""The Prefect edge: flows, schedules and the console; the only modules that import Prefect."""
