"""The report page's frame and stylesheet: inline, so the page needs nothing but itself."""

from __future__ import annotations

# No script may run and nothing may be fetched, whatever the archive holds.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
:root { --ink: #1f2933; --muted: #6b7785; --line: #e3e8ee; --accent: #4e79a7; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: var(--ink);
  font: 15px/1.55 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 60px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
nav { margin: 18px 0 6px; display: flex; gap: 18px; flex-wrap: wrap; font-size: 14px; }
a { color: #2b5d91; text-decoration: none; } a:hover { text-decoration: underline; }
.tiles { display: flex; gap: 12px; margin-top: 14px; flex-wrap: wrap; }
.tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.tile b { display: block; font-size: 22px; } .tile span { color: var(--muted); font-size: 13px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; margin-top: 22px; }
section h2 { margin: 0 0 2px; font-size: 19px; }
.note, .muted { color: var(--muted); font-size: 13px; } .note { margin: 0 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: 12px; }
.card { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px 6px 2px; }
.card figcaption { font-weight: 600; font-size: 14px; padding: 0 8px; }
svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
svg text { font-family: inherit; fill: var(--ink); }
svg .tick { font-size: 11px; fill: var(--muted); } svg .value { font-size: 11px; font-weight: 600; }
svg .label { font-size: 12px; } svg .muted { font-size: 11px; fill: var(--muted); }
svg .axis { stroke: #9aa5b1; stroke-width: 1; } svg .grid { stroke: var(--line); stroke-width: 1; }
svg a:hover rect, svg a:hover circle { opacity: .75; stroke: var(--ink); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 0 0 8px; font-size: 13px; }
.key i { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; }
details { margin-top: 12px; font-size: 13px; } summary { cursor: pointer; color: #2b5d91; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); } td.num { white-space: nowrap; text-align: right; }
table.evidence td:first-child, table.evidence td:nth-child(2) { white-space: nowrap; }
ul.months { padding-left: 18px; } ul.months li { margin: 3px 0; }
ul.months li:target, tr:target { background: #fff6d6; }
.empty { color: var(--muted); font-style: italic; }
"""

NAV = (
    '<nav><a href="#satisfaction">Satisfaction</a><a href="#outages">Outage hours</a>'
    '<a href="#output">Articles per site</a><a href="#clusters">Republications</a></nav>'
)


def page(title: str, header: str, sections: str) -> str:
    """Puts escaped pieces into the page frame; title, header and sections arrive escaped."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head>"
        f"<body><main>{header}{NAV}{sections}</main></body></html>\n"
    )
