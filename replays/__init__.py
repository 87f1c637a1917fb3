"""Recorded proceedings shipped with procedura, and the scenario file loader.

Bundled scenarios live in `replays/scenarios/` as TOML files named after their case.
"""

from __future__ import annotations

from pathlib import Path

from replays.dump import dump
from replays.loader import COMMON, Param, Scenario, ScenarioFileError, Step, load, parse

__all__ = [
    "COMMON",
    "Param",
    "Scenario",
    "ScenarioFileError",
    "Step",
    "bundled",
    "dump",
    "find",
    "load",
    "parse",
]

SCENARIOS = Path(__file__).parent / "scenarios"


def bundled() -> dict[str, Path]:
    """The bundled scenarios by name, e.g. {"dprk-2014": Path(...)}."""
    return {p.stem.replace("_", "-"): p for p in sorted(SCENARIOS.glob("*.toml"))}


def find(name: str) -> Path | None:
    """A bundled scenario's path by name, or None."""
    return bundled().get(name)
