"""The report's charts as inline SVG: every mark links to the article behind it, with the evidence as tooltip."""

from __future__ import annotations

from archive.reportdata import Cluster, Point, Source, leading
from archive.svg import Scale, clip_text, dot, esc, line, linked, nice_ticks, number, rect, rule, svg, text, year_axis

STREAK, SCORE = "#4e79a7", "#f28e2b"
HEAT = ("#e3eef9", "#b6d2ee", "#7fb0dd", "#4a89c8", "#1f5fa8", "#0b3d7a")


def tooltip(subject: str, point: Point, value: str) -> str:
    """What hovering a mark shows: the figure, the sentence that states it and where it was published."""
    first, others = point.sources[0], len(point.sources) - 1
    more = f"\n(+{others} more articles)" if others else ""
    where = f"{first.title} · {first.published_at[:10]} · {first.site}"
    return f"{subject} {point.year}: {value}\n“{first.evidence}”\n{where}{more}"


def satisfaction_card(subject: str, streaks: list[Point], scores: list[Point], years: list[int]) -> str:
    """One utility's streak (bars) and score (dots) by year, on the same year axis as every other card."""
    width, height, left, right, base = 320, 176, 14, 14, 104
    x = Scale((years[0] - 0.5, years[-1] + 0.5), (left, width - right))
    band = (width - left - right) / len(years)
    bar = min(22.0, band * 0.66)
    y = Scale((0, max([p.value for p in streaks] or [1])), (base, 30))
    marks = [rule(left, base, width - right, base, "axis")]
    for p in leading(streaks):
        shape = rect(x(p.year) - bar / 2, y(p.value), bar, base - y(p.value), STREAK)
        label = text(x(p.year), y(p.value) - 4, number(p.value), "value", "middle")
        marks.append(linked(p.sources[0].url, shape + label, tooltip(subject, p, f"{number(p.value)} years in a row")))
    marks += _score_strip(subject, scores, x)
    marks += year_axis(x, years, height - 4, every=1 if band >= 26 else 2 if band >= 13 else 5)
    return svg(width, height, marks, f"{subject}: satisfaction streak and score by year")


def _score_strip(subject: str, scores: list[Point], x: Scale) -> list[str]:
    """Scores as dots on their own small scale under the bars, joined from year to year."""
    if not scores:
        return [text(x.start, 140, "no score reported", "muted")]
    values = [p.value for p in scores]
    y = Scale((min(values) - 0.5, max(values) + 0.5), (154, 128))
    main = leading(scores)
    marks = [line([(x(p.year), y(p.value)) for p in main], SCORE, 1.5)] if len(main) > 1 else []
    for p in scores:
        # Only the values the line passes through are labelled; the others show theirs on hover.
        shape = dot(x(p.year), y(p.value), 4, SCORE, p in main)
        label = text(x(p.year), y(p.value) - 7, number(p.value), "value", "middle") if p in main else ""
        marks.append(linked(p.sources[0].url, shape + label, tooltip(subject, p, f"{number(p.value)} points")))
    return marks


def line_chart(series: dict[str, list[Point]], colours: dict[str, str], unit: str, label: str) -> str:
    """Values per utility over the years: one line each through the most reported value, every value a dot."""
    width, height, left, right, top, bottom = 960, 330, 52, 24, 16, 34
    points = [p for ps in series.values() for p in ps]
    years = list(range(min(p.year for p in points), max(p.year for p in points) + 1))
    x = Scale((years[0] - 0.3, years[-1] + 0.3), (left, width - right))
    ticks = nice_ticks(0, max(p.value for p in points))
    y = Scale((0, ticks[-1]), (height - bottom, top))
    marks = []
    for tick in ticks:
        marks += [rule(left, y(tick), width - right, y(tick)), text(left - 6, y(tick) + 4, number(tick), "tick", "end")]
    for subject, pts in series.items():
        colour, main = colours[subject], leading(pts)
        if len(main) > 1:
            marks.append(line([(x(p.year), y(p.value)) for p in main], colour))
        for p in pts:
            shape = dot(x(p.year), y(p.value), 5, colour, p in main)
            value = text(x(p.year) + 8, y(p.value) - 6, number(p.value), "value") if p in main else ""
            marks.append(linked(p.sources[0].url, shape + value, tooltip(subject, p, f"{number(p.value)} {unit}")))
    marks += year_axis(x, years, height - 10, every=1 if len(years) <= 16 else 2)
    return svg(width, height, marks, label)


def heat(count: int, most: int) -> str:
    """The shade of a cell: darker for more articles, relative to the fullest cell."""
    return HEAT[min(len(HEAT) - 1, (count * len(HEAT) - 1) // max(most, 1))]


def heatmap(cells: dict[tuple[str, str], list[Source]], sites: list[str], months: list[str]) -> str:
    """Articles per site and month: one row per site, one cell per month, darker for more; cells link to lists."""
    label_w, cell_h = 150, 22
    cell_w = max(4.0, min(22.0, (960 - label_w - 10) / len(months)))
    bottom = cell_h * len(sites)
    most = max(len(v) for v in cells.values())
    marks = []
    for row, site in enumerate(sites):
        marks.append(text(label_w - 8, row * cell_h + 15, clip_text(site, 12, label_w - 12), "label", "end"))
        for col, month in enumerate(months):
            found = cells.get((site, month))
            if found:
                shape = rect(label_w + col * cell_w, row * cell_h + 1, cell_w - 1, cell_h - 2, heat(len(found), most))
                tip = f"{site} · {month}: {len(found)} articles\n" + "\n".join(s.title for s in found[:5])
                anchor = cell_id(site, month, sites, months)
                marks.append(f'<a href="#{anchor}"><title>{esc(tip)}</title>{shape}</a>')
    for col, month in enumerate(months):
        # The first month gets a label unless January's comes too close after it.
        if month.endswith("-01") or (col == 0 and int(month[5:7]) <= 9):
            x = label_w + col * cell_w
            marks.append(rule(x, 0, x, bottom + 4))
            marks.append(text(x + 2, bottom + 20, month[:4] if month.endswith("-01") else month, "tick"))
    return svg(label_w + cell_w * len(months) + 10, bottom + 34, marks, "articles per site and month")


def cell_id(site: str, month: str, sites: list[str], months: list[str]) -> str:
    """An anchor for one cell's article list, made of positions so no data reaches an id."""
    return f"sm-{sites.index(site)}-{months.index(month)}"


def cluster_bars(clusters: list[Cluster], colours: dict[str, str]) -> str:
    """The most republished articles: one bar each, a segment per copy coloured by the site that ran it."""
    label_w, row_h, room = 380, 30, 440
    unit = min(40.0, room / max(c.copies for c in clusters))
    marks = []
    for row, cluster in enumerate(clusters):
        y0, original = row * row_h + 4, cluster.article
        title = text(label_w - 10, y0 + 16, clip_text(original.title, 13, label_w - 20), "label", "end")
        marks.append(linked(original.url, title, f"{original.title}\n{original.site} · {original.published_at[:10]}"))
        copies = [s for s in cluster.sightings if s.kind != "original"]
        for i, seen in enumerate(copies):
            segment = rect(label_w + i * unit, y0, unit - 2, row_h - 10, colours[seen.site])
            marks.append(
                linked(seen.url, segment, f"{seen.site} · {seen.kind} · {seen.published_at[:10]}\n{seen.title}")
            )
        sites = len({s.site for s in cluster.sightings})
        note = f"{len(copies)} {'copy' if len(copies) == 1 else 'copies'} · {sites} sites"
        marks.append(text(label_w + len(copies) * unit + 6, y0 + 16, note, "value"))
    return svg(label_w + room + 150, row_h * len(clusters) + 8, marks, "most republished articles")
