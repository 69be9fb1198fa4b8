"""`newsarchive report`: one static, self-contained HTML page of charts over the archive, no script, no fetches."""

from __future__ import annotations

from pathlib import Path

import click
from sqlite_utils import Database

from archive.charts import HEAT, cell_id, cluster_bars, heat, heatmap, line_chart, satisfaction_card
from archive.db import now, open_reader
from archive.options import db_option
from archive.reportdata import Point, Source, fact_series, largest_clusters, site_months, summary
from archive.svg import PALETTE, esc, href, legend, number
from archive.theme import page

SATISFACTION = ("satisfaction_streak", "satisfaction_score", "satisfaction_rank")
# Per chart, how many utilities or articles are drawn; the rest would turn a chart into a smudge.
CARDS, LINES, CLUSTERS, LISTED = 12, 8, 10, 8


def build_report(db: Database, title: str = "Utility news archive") -> str:
    """The whole page as one string: inline CSS and SVG, every archive string escaped."""
    facts = fact_series(db, (*SATISFACTION, "outage_hours"))
    sections = [
        _satisfaction(facts.get("satisfaction_streak", {}), facts.get("satisfaction_score", {})),
        _outages(facts.get("outage_hours", {})),
        _output(site_months(db)),
        _clusters(largest_clusters(db, CLUSTERS)),
    ]
    return page(esc(title), _header(summary(db), title), "".join(sections))


def _header(figures: dict, title: str) -> str:
    """The page heading and the archive at a glance."""
    tiles = "".join(
        f'<div class="tile"><b>{esc(figures[key])}</b><span>{key}</span></div>'
        for key in ("articles", "sites", "sightings", "facts")
    )
    span = f"{esc(figures['first'])} – {esc(figures['last'])}" if figures["first"] else "no dated articles"
    made = esc(now()[:16].replace("T", " "))
    return (
        f"<header><h1>{esc(title)}</h1><p class='muted'>Published {span} · report made {made} UTC</p>"
        f"<div class='tiles'>{tiles}</div></header>"
    )


def _section(anchor: str, heading: str, note: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{heading}</h2><p class="note">{note}</p>{body}</section>'


def _satisfaction(streaks: dict[str, list[Point]], scores: dict[str, list[Point]]) -> str:
    """Small multiples: a card per utility with its streak and score over the same years."""
    note = (
        "Bars: consecutive years at first place (连续第一 / 连冠). Dots: the score (得分). Each mark opens its article."
    )
    subjects = sorted(set(streaks) | set(scores), key=lambda s: (-len(streaks.get(s, [])) - len(scores.get(s, [])), s))
    if not subjects:
        return _section("satisfaction", "Satisfaction streaks and scores", note, _empty("No satisfaction figures yet."))
    shown = subjects[:CARDS]
    years_seen = [p.year for s in shown for p in streaks.get(s, []) + scores.get(s, [])]
    years = list(range(min(years_seen), max(years_seen) + 1))
    cards = "".join(
        f'<figure class="card"><figcaption>{esc(s)}</figcaption>'
        f"{satisfaction_card(s, streaks.get(s, []), scores.get(s, []), years)}</figure>"
        for s in shown
    )
    rows = [(s, p, "years in a row") for s in shown for p in streaks.get(s, [])]
    rows += [(s, p, "points") for s in shown for p in scores.get(s, [])]
    more = _more(len(subjects) - len(shown), "utilities")
    body = f'<div class="cards">{cards}</div>{more}{_evidence(rows)}'
    return _section("satisfaction", "Satisfaction streaks and scores", note, body)


def _outages(series: dict[str, list[Point]]) -> str:
    """Average outage hours per customer, per utility, over the years."""
    note = (
        "Average outage time per customer (户均 / 年平均停电时间), in hours. Hollow dots: other values the same year"
        " (a city centre's, say)."
    )
    if not series:
        return _section("outages", "Outage hours over time", note, _empty("No outage figures yet."))
    ranked = sorted(series, key=lambda s: (-len(series[s]), s))
    shown = {s: series[s] for s in ranked[:LINES]}
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(shown)}
    chart = line_chart(shown, colours, "h", "average outage hours per customer by year")
    rows = [(s, p, "hours") for s, pts in shown.items() for p in pts]
    more = _more(len(series) - len(shown), "utilities")
    return _section(
        "outages", "Outage hours over time", note, legend(list(shown), colours) + chart + more + _evidence(rows)
    )


def _output(cells: dict[tuple[str, str], list[Source]]) -> str:
    """Articles each site published per month, and the list behind every cell."""
    note = "Every place an article was published, by site and month; darker cells hold more. Click a cell for its list."
    if not cells:
        return _section("output", "Articles per site per month", note, _empty("No dated articles yet."))
    sites = sorted({s for s, _ in cells}, key=lambda s: (-sum(len(v) for (t, _), v in cells.items() if t == s), s))
    months = _month_range(min(m for _, m in cells), max(m for _, m in cells))
    lists = "".join(
        f'<li id="{cell_id(site, month, sites, months)}"><b>{esc(month)} · {esc(site)}</b> ({len(found)}): '
        f"{_sources(found)}</li>"
        for (site, month), found in sorted(cells.items(), key=lambda item: (item[0][1], item[0][0]))
    )
    details = f"<details><summary>Articles by month and site</summary><ul class='months'>{lists}</ul></details>"
    return _section(
        "output", "Articles per site per month", note, _heat_key(cells) + heatmap(cells, sites, months) + details
    )


def _heat_key(cells: dict[tuple[str, str], list[Source]]) -> str:
    """The legend of the heatmap's shades, in articles per cell."""
    most = max(len(v) for v in cells.values())
    counts = sorted({max(1, round(most * i / len(HEAT))) for i in range(1, len(HEAT) + 1)})
    keys = "".join(f'<span class="key"><i style="background:{heat(n, most)}"></i>{n}</span>' for n in counts)
    return f'<div class="legend"><span class="muted">articles a month:</span>{keys}</div>'


def _clusters(clusters: list) -> str:
    """The most republished articles and where each copy ran."""
    note = "Articles seen most often on other pages (sightings other than the original), one segment per copy."
    if not clusters:
        return _section("clusters", "Largest republication clusters", note, _empty("No republications recorded yet."))
    sites = sorted({s.site for c in clusters for s in c.sightings if s.kind != "original"})
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sites)}
    rows = "".join(
        f"<tr><td>{_link(c.article.url, c.article.title)}<br><span class='muted'>{esc(c.article.site)} · "
        f"{esc(c.article.published_at[:10])}</span></td><td>"
        + "<br>".join(
            f"{_link(s.url, s.site)} <span class='muted'>{esc(s.kind)}"
            f"{' ' + number(s.similarity) if s.similarity is not None else ''} · {esc(s.published_at[:10])}</span>"
            for s in c.sightings
            if s.kind != "original"
        )
        + "</td></tr>"
        for c in clusters
    )
    table = (
        f"<details><summary>Every copy</summary><table><tr><th>article</th><th>copies</th></tr>{rows}</table></details>"
    )
    return _section(
        "clusters",
        "Largest republication clusters",
        note,
        legend(sites, colours) + cluster_bars(clusters, colours) + table,
    )


def _evidence(rows: list[tuple[str, Point, str]]) -> str:
    """The figures behind a chart, each with its sentence and the articles that report it."""
    body = "".join(
        f"<tr><td>{esc(subject)}</td><td>{p.year}</td><td class='num'>{esc(number(p.value))} {esc(unit)}</td>"
        f"<td>“{esc(p.sources[0].evidence)}”</td><td>{_sources(p.sources)}</td></tr>"
        for subject, p, unit in sorted(rows, key=lambda r: (r[0], r[1].year, r[2]))
    )
    head = "<tr><th>utility</th><th>year</th><th>figure</th><th>evidence</th><th>articles</th></tr>"
    table = f"<table class='evidence'>{head}{body}</table>"
    return f"<details><summary>Evidence ({len(rows)} figures)</summary>{table}</details>"


def _sources(sources: list[Source]) -> str:
    links = [
        f"{_link(s.url, s.title or s.url)} <span class='muted'>{esc(s.site)} {esc(s.published_at[:10])}</span>"
        for s in sources[:LISTED]
    ]
    extra = f" <span class='muted'>+{len(sources) - LISTED} more</span>" if len(sources) > LISTED else ""
    return "; ".join(links) + extra


def _link(url: str, label: str) -> str:
    target = href(url)
    if target is None:
        return esc(label)
    return f'<a href="{target}" target="_blank" rel="noopener noreferrer">{esc(label)}</a>'


def _more(count: int, what: str) -> str:
    return (
        f"<p class='muted'>{count} more {what} are left out of the chart; `newsarchive facts` lists them.</p>"
        if count > 0
        else ""
    )


def _empty(message: str) -> str:
    return f"<p class='empty'>{message}</p>"


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= last and len(out) < 600:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@click.command()
@db_option
@click.option(
    "-o",
    "--output",
    default="report.html",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the page.",
)
@click.option("--title", default="Utility news archive", show_default=True, help="The page's heading.")
def report(db_path: Path, output: Path, title: str) -> None:
    """Write one self-contained HTML page of charts: satisfaction, outages, output per site, republications.

    The page has no script and fetches nothing: open it anywhere, mail it, archive it.

    Example: newsarchive report --db demo.db -o report.html
    """
    page = build_report(open_reader(db_path), title)
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"report: {output} ({len(page.encode()) // 1024} KB)")
