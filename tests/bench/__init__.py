"""Tests of the benchmarks' own machinery in bench/, whose modules import each other as scripts do."""
import importlib
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def bench_module(name):
    """Import bench/NAME.py (or the package bench/NAME) with bench/ on the path, as its scripts run."""
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCH))
