"""The bench scripts start as documented (`python bench/NAME.py`), where their folder comes first on sys.path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPTS = sorted((ROOT / "bench").glob("*.py"))


def test_there_are_bench_scripts() -> None:
    assert len(SCRIPTS) >= 5


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_a_bench_script_shadows_no_package_and_answers_help(script: Path) -> None:
    # a script named like a package it imports (archive, incremental, ...) would import itself instead
    result = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
