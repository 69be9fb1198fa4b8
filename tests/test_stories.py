"""The demo corpus keeps its promises: facts true on every page, edits small, traps in place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crawler.demoweb.site import DemoSite

HERE = Path(__file__).parent


def test_corpus_passes_every_rule_of_its_checker() -> None:
    result = subprocess.run([sys.executable, str(HERE / "storycheck.py")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "OK: all rules hold" in result.stdout


def test_checker_catches_a_broken_corpus(tmp_path: Path) -> None:
    text = (HERE.parent / "crawler" / "demoweb" / "stories.toml").read_text(encoding="utf-8")
    broken = tmp_path / "stories.toml"
    assert 'value = 5326, unit = "MW", evidence = "最高达到532.6万千瓦"' in text
    broken.write_text(text.replace("value = 5326,", "value = 5236,", 1), encoding="utf-8")  # a misread figure
    result = subprocess.run(
        [sys.executable, str(HERE / "storycheck.py"), str(broken)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "5236" in result.stdout


def test_demo_web_has_forty_articles_and_republications(demo_sites: dict[str, DemoSite]) -> None:
    pages = [a for site in demo_sites.values() for a in site.paths.values()]
    assert len(pages) >= 40
    copies = [a for a in pages if not a.original]
    assert {"portal", "daily"} <= {a.site for a in copies}
    stories = {a.story for a in copies}
    both = [s for s in stories if {a.site for a in copies if a.story == s} == {"portal", "daily"}]
    assert len(both) >= 4
    for copy in copies:
        original = next(a for a in pages if a.story == copy.story and a.original)
        assert copy.title != original.title
