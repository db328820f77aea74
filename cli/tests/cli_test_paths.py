"""Paths the CLI's tests share (a module of its own: `conftest` is a name tests/unit uses too)."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
