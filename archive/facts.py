"""`newsarchive facts`: the utility facts in the archive, filtered, each with the article and sentence behind it."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from archive.db import open_reader
from archive.options import db_option
from archive.tables import render

COLUMNS = (
    "kind",
    "subject",
    "region",
    "year",
    "value",
    "unit",
    "evidence",
    "start",
    "end",
    "article_id",
    "published_at",
    "site",
    "title",
    "url",
)
TABLE = ("kind", "subject", "year", "value", "unit", "published", "title", "evidence", "url")
_DATE_FORMATS = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}

QUERY = """
SELECT f.kind, f.subject, f.region, f.year, f.value, f.unit, f.evidence, f.start, f."end",
       a.id AS article_id, a.published_at, a.site, a.title, a.url
FROM facts f JOIN articles a ON a.id = f.article_id
WHERE {where}
ORDER BY a.published_at, a.id, f.start, f.id
"""


@dataclass(frozen=True)
class FactFilter:
    """What to keep: a kind, a utility (by any of its names), a region, a span of publication dates."""

    kind: str | None = None
    subject: str | None = None
    region: str | None = None
    since: str | None = None
    until: str | None = None


def query_facts(db: Database, wanted: FactFilter, vocabulary_paths: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The facts that pass the filter, oldest article first, with the article's title, URL and date."""
    clauses: list[str] = ["1"]
    params: list[Any] = []
    for column, value in (("f.kind", wanted.kind), ("f.region", wanted.region)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if wanted.subject:
        names = subjects_named(db, wanted.subject, vocabulary_paths)
        clauses.append(f"f.subject IN ({', '.join('?' * len(names))})" if names else "0")
        params += names
    # Dates compare as text on the prefix the user gave: --until 2021 keeps all of 2021.
    if wanted.since:
        clauses.append("substr(a.published_at, 1, ?) >= ?")
        params += [len(wanted.since), wanted.since]
    if wanted.until:
        clauses.append("substr(a.published_at, 1, ?) <= ?")
        params += [len(wanted.until), wanted.until]
    return [dict(row) for row in db.query(QUERY.format(where=" AND ".join(clauses)), params)]


def subjects_named(db: Database, written: str, vocabulary_paths: tuple[str, ...] = ()) -> list[str]:
    """The stored subjects that denote the same utility as `written` (an alias, a longer or shorter form)."""
    from pipelines.utilityfacts import entities, load_vocabulary

    voc = load_vocabulary(*vocabulary_paths)
    wanted = entities(written, voc)
    stored = [row[0] for row in db.execute("SELECT DISTINCT subject FROM facts WHERE subject IS NOT NULL")]
    return [s for s in stored if s == written.strip() or (wanted and wanted & entities(s, voc))]


def check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Accepts YYYY, YYYY-MM or YYYY-MM-DD, as the archive's ISO dates start."""
    if value is None:
        return None
    try:
        datetime.strptime(value, _DATE_FORMATS[len(value)])
    except (KeyError, ValueError):
        raise click.BadParameter(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return value


def check_kind(db: Database, kind: str | None, vocabulary_paths: tuple[str, ...]) -> None:
    """Fails on a kind neither the vocabulary nor the archive knows, naming the ones they do."""
    from pipelines.utilityfacts import load_vocabulary

    if kind is None:
        return
    known = {k.name for k in load_vocabulary(*vocabulary_paths).kinds}
    known |= {row[0] for row in db.execute("SELECT DISTINCT kind FROM facts")}
    if kind not in known:
        raise click.BadParameter(f"unknown kind {kind!r}; kinds: {', '.join(sorted(known))}", param_hint="--kind")


def write_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    """Prints the rows as an aligned table, CSV with a header, or one JSON object a line."""
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        click.echo(render(TABLE, [_table_row(r) for r in rows], widths={"evidence": 48, "url": 80}))


def _table_row(row: dict[str, Any]) -> list[Any]:
    return [
        row["kind"],
        row["subject"],
        row["year"],
        format_value(row["value"]),
        row["unit"],
        (row["published_at"] or "")[:10],
        row["title"],
        row["evidence"],
        row["url"],
    ]


def format_value(value: float | None) -> str:
    """A value as people write it: 13577, 99.9716, 0.0589."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


@click.command()
@db_option
@click.option("--kind", help="Only this kind of fact (satisfaction_rank, outage_hours, …).")
@click.option("--subject", help="Only this utility, by any of its names (河源电网 finds 河源供电局).")
@click.option("--region", help="Only this region (河源, 广东).")
@click.option("--since", callback=check_date, help="Only articles published on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", callback=check_date, help="Only articles published on or before this date (YYYY[-MM[-DD]]).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option(
    "--vocabulary",
    "vocabulary_paths",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="Extra vocabulary file with the organisations the crawl used (repeatable).",
)
def facts(db_path: Path, fmt: str, vocabulary_paths: tuple[str, ...], **filters: str | None) -> None:
    """List the utility facts found in the archive, each with its article and the sentence that states it.

    --subject takes any name of a utility (广东电网有限责任公司河源供电局, 河源电网, 河源 all find
    河源供电局); dates are the articles' publication dates.

    Example: newsarchive facts --kind satisfaction_streak --subject 河源电网 --since 2020 --format csv
    """
    db = open_reader(db_path)
    check_kind(db, filters["kind"], vocabulary_paths)
    rows = query_facts(db, FactFilter(**filters), vocabulary_paths)
    write_rows(rows, fmt)
    if not rows and fmt == "table":
        click.echo("no facts match", err=True)
