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


@pytest.mark.parametrize("script", ["archive.py", "dedupe.py"])
def test_a_storage_bench_runs_end_to_end_on_a_small_archive(script: str, tmp_path: Path) -> None:
    # the figures in docs/BENCHMARKS.md come from these scripts: they must keep working as the code moves
    command = [sys.executable, str(ROOT / "bench" / script), "--sizes", "300"]
    if script == "archive.py":
        command += ["--dir", str(tmp_path / "archives")]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| 300 |" in result.stdout


def test_the_crawl_bench_crawls_a_small_generated_web_both_ways() -> None:
    command = [sys.executable, str(ROOT / "bench" / "crawl.py"), "--pages", "40", "--rounds", "1"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "round 1 bare: 40 pages" in result.stderr
    assert "round 1 full: 40 pages" in result.stderr
    assert " ratio " in result.stdout


def test_the_compression_bench_compares_both_codecs_on_saved_pages() -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "compression.py"),
        "--pages",
        str(ROOT / "tests" / "extraction_pages"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| zlib 6 |" in result.stdout
    assert "| zstd 3 |" in result.stdout
