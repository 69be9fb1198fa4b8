"""Health rules of a site: what a run must look like to count as healthy, checked against recent runs.

A run that breaks one ends with status `failed`, the reason in `runs.problem`, and a non-zero exit from
`newsarchive crawl`, so that cron mails someone when a site changed its layout or stopped answering.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HealthRules:
    """The `[health]` table of a site definition."""

    min_new_articles: int = 0  # fewer new articles than this over the last window_runs runs is a problem (0: off)
    window_runs: int = 3
    max_error_percent: float = 50.0  # faults (error statuses, timeouts, resets, …) per request
    require_articles: bool = True  # article pages fetched but not one article read from them
    max_field_drop_percent: float = 30.0  # fall in the share of articles with a date (or an author)
    field_min_articles: int = 10  # runs with fewer articles are too small to compare shares


@dataclass(frozen=True)
class RunFigures:
    """The figures of one run the rules look at."""

    new: int = 0
    requests: int = 0
    faults: int = 0
    article_pages: int = 0
    articles: int = 0
    with_date: int = 0
    with_author: int = 0


def figures(stats: Mapping[str, Any]) -> RunFigures:
    """Read a run's figures from its Scrapy stats."""
    get = stats.get
    return RunFigures(
        new=int(get("archive/articles_new", 0)),
        requests=int(get("downloader/request_count", 0)),
        faults=sum(int(v) for k, v in stats.items() if k.startswith("fault/")),
        article_pages=int(get("extract/pages", 0)),
        articles=int(get("archive/pages", 0)),
        with_date=int(get("archive/with_date", 0)),
        with_author=int(get("archive/with_author", 0)),
    )


def health_problems(rules: HealthRules, run: RunFigures, recent: Sequence[RunFigures]) -> list[str]:
    """What is wrong with a run, one sentence per broken rule; `recent` holds earlier runs, newest first."""
    problems = [_too_few_new(rules, run, recent), _error_rate(rules, run), _no_articles(rules, run)]
    problems += [_field_drop(rules, run, recent, name) for name in ("date", "author")]
    return [p for p in problems if p]


def _too_few_new(rules: HealthRules, run: RunFigures, recent: Sequence[RunFigures]) -> str:
    window = [run, *recent][: rules.window_runs]
    if not rules.min_new_articles or len(window) < rules.window_runs:
        return ""
    total = sum(r.new for r in window)
    if total >= rules.min_new_articles:
        return ""
    return f"{total} new articles over the last {rules.window_runs} runs, fewer than {rules.min_new_articles}"


def _error_rate(rules: HealthRules, run: RunFigures) -> str:
    if not run.requests:
        return ""
    percent = 100 * run.faults / run.requests
    if percent <= rules.max_error_percent:
        return ""
    return f"{percent:.0f} % of requests met a fault, more than {rules.max_error_percent:g} %"


def _no_articles(rules: HealthRules, run: RunFigures) -> str:
    if not rules.require_articles or not run.article_pages or run.articles:
        return ""
    return f"no article read from {run.article_pages} fetched article pages (has the page layout changed?)"


def _field_drop(rules: HealthRules, run: RunFigures, recent: Sequence[RunFigures], name: str) -> str:
    def count(r: RunFigures) -> int:
        return r.with_date if name == "date" else r.with_author

    if run.articles < rules.field_min_articles:
        return ""
    earlier = [r for r in recent if r.articles >= rules.field_min_articles][:5]
    if not earlier:
        return ""
    before = 100 * sum(count(r) for r in earlier) / sum(r.articles for r in earlier)
    now = 100 * count(run) / run.articles
    if before - now <= rules.max_field_drop_percent:
        return ""
    noun = "an author" if name == "author" else f"a {name}"
    return f"articles with {noun} fell from {before:.0f} % to {now:.0f} % of those read (has the layout changed?)"
