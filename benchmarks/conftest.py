"""Benchmarks run only when asked for: `uv run pytest benchmarks -m benchmark -s`.

The suite's testpaths include this folder so that `-m benchmark` finds it; without that marker
expression every benchmark is skipped, which keeps the normal `uv run pytest` fast."""

import pytest


def pytest_collection_modifyitems(config, items):
    markexpr = config.getoption("markexpr") or ""
    if "benchmark" in markexpr and "not benchmark" not in markexpr:
        return
    skip = pytest.mark.skip(reason="a benchmark: run with -m benchmark")
    for item in items:
        if item.get_closest_marker("benchmark"):
            item.add_marker(skip)
