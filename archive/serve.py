"""`newsarchive serve`: the archive in Datasette, with facets, Chinese search and canned queries."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click

from archive.db import open_reader
from archive.options import db_option

SEARCH = """
SELECT a.id, a.title, a.site, substr(a.published_at, 1, 10) AS date,
       newsarchive_snippet(a.body, :q) AS snippet, round(-bm25(articles_fts, 4.0, 1.0), 2) AS score, a.url
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH newsarchive_match(:q)
ORDER BY bm25(articles_fts, 4.0, 1.0) LIMIT 100
"""
PER_SITE_MONTH = """
SELECT site, substr(published_at, 1, 7) AS month, count(*) AS articles
FROM articles WHERE published_at IS NOT NULL GROUP BY site, month ORDER BY month DESC, site
"""
FACTS_PER_UTILITY = """
SELECT subject AS utility, kind, count(*) AS facts, count(DISTINCT article_id) AS articles,
       min(year) AS first_year, max(year) AS last_year
FROM facts WHERE subject IS NOT NULL GROUP BY subject, kind ORDER BY facts DESC
"""
REPUBLISHED = """
SELECT a.title, a.site AS first_site, count(s.id) AS sightings, count(DISTINCT s.site) AS sites,
       group_concat(DISTINCT s.site) AS seen_on, a.url
FROM articles a JOIN sightings s ON s.article_id = a.id
GROUP BY a.id HAVING count(DISTINCT s.site) > 1 ORDER BY sites DESC, sightings DESC
"""
FACT_SERIES = """
SELECT f.year, f.value, f.unit, a.site, substr(a.published_at, 1, 10) AS published, f.evidence, a.url
FROM facts f JOIN articles a ON a.id = f.article_id
WHERE f.kind = :kind AND f.subject LIKE '%' || :utility || '%' ORDER BY f.year, a.published_at
"""


def metadata(name: str) -> dict[str, Any]:
    """Datasette metadata for an archive opened under the database name `name`."""
    searchable = {"fts_table": "articles_fts", "fts_pk": "id", "sort_desc": "published_at", "label_column": "title"}
    tables = {
        "articles": {**searchable, "facets": ["site", "source", "section"], "description": "One row per article."},
        "catalogue": {**searchable, "facets": ["site", "source", "year"], "description": "Articles by year and month."},
        "facts": {"facets": ["kind", "subject", "year"], "description": "Utility figures, with their sentence."},
        "sightings": {"facets": ["kind", "site"], "description": "Every place an article was seen."},
        "pages": {"facets": ["site", "outcome", "reason"], "description": "Raw pages as fetched (Zstandard bodies)."},
        "runs": {"facets": ["site", "status"], "sort_desc": "id", "description": "One row per crawl."},
    }
    queries = {
        "search": {"sql": SEARCH.strip(), "title": 'Search articles (Chinese words, "phrases", OR, -word)'},
        "articles_per_site_per_month": {"sql": PER_SITE_MONTH.strip(), "title": "Articles per site per month"},
        "facts_per_utility": {"sql": FACTS_PER_UTILITY.strip(), "title": "Facts per utility and kind"},
        "fact_series": {"sql": FACT_SERIES.strip(), "title": "One figure of one utility over the years"},
        "republished": {"sql": REPUBLISHED.strip(), "title": "Articles republished on more than one site"},
    }
    return {
        "title": f"newsarchive: {name}",
        "description": "Chinese power-utility news: articles, where each was seen, and the facts they report.",
        "databases": {name: {"tables": tables, "queries": queries}},
    }


def datasette_args(db_path: Path, metadata_path: Path, host: str, port: int) -> list[str]:
    """The `datasette serve` command line for an archive."""
    return [
        "serve",
        str(db_path),
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(metadata_path),
        "--setting",
        "sql_time_limit_ms",
        "5000",
        "--setting",
        "facet_time_limit_ms",
        "1000",
    ]


@click.command("serve")
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: only this machine)."
)
@click.option("-p", "--port", default=8001, show_default=True, help="Port (0: any free one).")
@click.option(
    "--metadata-out", type=click.Path(dir_okay=False, path_type=Path), help="Write the metadata file here and stop."
)
def serve_command(db_path: Path, host: str, port: int, metadata_out: Path | None) -> None:
    """Browse, facet, search and query the archive in Datasette (read-only).

    Facets on site, source and year; the search box understands Chinese; canned queries count
    articles per site and month, facts per utility, and republished articles.

    Example: newsarchive serve --db archive.db --port 8001
    """
    open_reader(db_path).close()  # a missing or foreign file fails here in one line
    name = db_path.stem
    if metadata_out is not None:
        metadata_out.write_text(json.dumps(metadata(name), ensure_ascii=False, indent=2), encoding="utf-8")
        click.echo(f"wrote {metadata_out}: datasette {db_path} --metadata {metadata_out}")
        return
    try:
        from datasette.cli import cli as datasette
    except ImportError:
        raise click.ClickException("serve needs Datasette: pip install 'newsarchive[serve]'") from None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "metadata.json")
        path.write_text(json.dumps(metadata(name), ensure_ascii=False), encoding="utf-8")
        datasette.main(datasette_args(db_path, path, host, port), prog_name="newsarchive serve")
