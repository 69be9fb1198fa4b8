"""Site definitions: TOML files that tell the one generic spider what to crawl.

A site is data, not code. Each file is checked against SCHEMA below, so a typo in a key or a
bad regex is reported by file and key before any crawl starts.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.cron import CronError, check_cron
from crawler.health import HealthRules
from crawler.urls import NO_RULES, UrlRules, canonical_url

BUNDLED = files("crawler") / "sites"  # package data, readable from a zipped egg (Scrapyd) as well
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
HOST_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")


class SiteError(ValueError):
    """A site definition that cannot be used, with the file and key that are wrong."""


class Pairs(list[list[str]]):
    """Schema kind: a list of [pattern, replacement] pairs of strings."""


EXPECTED: dict[type, str] = {list: "a list of strings", Pairs: "a list of [pattern, replacement] pairs"}

# key -> (type, default); a dict value is a nested table with its own keys
SCHEMA: dict[str, Any] = {
    "name": (str, ""),
    "title": (str, ""),
    "base_url": (str, None),
    "allowed_domains": (list, []),
    "start_urls": (list, []),
    "feeds": (list, []),
    "sitemaps": (list, []),
    "schedule": (str, ""),
    "lang": (str, "zh"),
    "encoding": (str, ""),
    "obey_robots": (bool, True),
    "user_agent": (str, ""),
    "enabled": (bool, True),
    "links": {"article": (list, None), "list": (list, []), "deny": (list, [])},
    "pagination": {"next": (str, ""), "max_pages": (int, 100)},
    "limits": {
        "max_depth": (int, 6),
        "max_pages": (int, 0),
        "download_delay": (float, 0.0),
        "concurrency": (int, 4),
        "autothrottle": (bool, True),
        "download_timeout": (float, 0.0),
    },
    "incremental": {"revisit_days": (float, 0.0), "full_walk": (bool, False)},
    "health": {
        "min_new_articles": (int, 0),
        "window_runs": (int, 3),
        "max_error_percent": (float, 50.0),
        "require_articles": (bool, True),
        "max_field_drop_percent": (float, 30.0),
        "field_min_articles": (int, 10),
    },
    "urls": {
        "hosts": (list, []),
        "scheme": (str, ""),
        "index_files": (list, []),
        "drop_params": (list, []),
        "keep_params": (list, []),
        "rewrite": (Pairs, []),
    },
    "extract": dict.fromkeys(
        ("title", "subtitle", "published_at", "author", "source", "editor", "section", "body"), (str, "")
    ),
}


@dataclass(frozen=True)
class SiteDefinition:
    """A validated site definition, with every URL made absolute."""

    name: str
    title: str
    base_url: str
    allowed_domains: tuple[str, ...]
    start_urls: tuple[str, ...]
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    schedule: str
    lang: str
    encoding: str
    obey_robots: bool
    enabled: bool
    article_patterns: tuple[re.Pattern[str], ...]
    list_patterns: tuple[re.Pattern[str], ...]
    deny_patterns: tuple[re.Pattern[str], ...]
    next_page: str
    max_list_pages: int
    max_depth: int
    max_pages: int
    download_delay: float
    concurrency: int
    autothrottle: bool = True
    download_timeout: float = 0.0
    user_agent: str = ""
    revisit_days: float = 0.0
    full_walk: bool = False
    health: HealthRules = field(default_factory=HealthRules)
    overrides: dict[str, str] = field(default_factory=dict)
    url_rules: UrlRules = NO_RULES
    path: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def is_article(self, url: str) -> bool:
        """Tell whether a URL is an article page of this site, as spelled or in its canonical spelling."""
        return any(
            _matches(self.article_patterns, u) and not _matches(self.deny_patterns, u) for u in self._spellings(url)
        )

    def is_list(self, url: str) -> bool:
        """Tell whether a URL is a list page worth walking for links."""
        return _matches(self.list_patterns, url) and not _matches(self.deny_patterns, url)

    def _spellings(self, url: str) -> tuple[str, ...]:
        # links often carry tracking parameters the article patterns (rightly) do not expect
        canonical = canonical_url(url, self.url_rules)
        return (url,) if canonical == url else (url, canonical)


def _matches(patterns: Iterable[re.Pattern[str]], url: str) -> bool:
    return any(p.search(url) for p in patterns)


def load_site(name: str, paths: Iterable[str | Path] = ()) -> SiteDefinition:
    """Find a site by name in the given folders, then in the bundled ones, and validate it."""
    for path in _definition_files(paths):
        if _stem(path) == name:
            return read_site(path)
    known = sorted({_stem(p) for p in _definition_files(paths)})
    hint = difflib.get_close_matches(name, known, n=1)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise SiteError(f"unknown site {name!r}{suggestion}; `newsarchive sites` lists them")


@cache
def known_site(name: str, paths: tuple[str, ...] = ()) -> SiteDefinition | None:
    """The definition a stored page came from, or None when it is gone or broken (pages outlive sites)."""
    try:
        return load_site(name, paths)
    except SiteError:
        return None


def iter_sites(paths: Iterable[str | Path] = ()) -> Iterator[SiteDefinition | SiteError]:
    """Yield every site definition found, or the error that keeps it from loading."""
    seen: set[str] = set()
    for path in _definition_files(paths):
        if _stem(path) in seen:
            continue
        seen.add(_stem(path))
        try:
            yield read_site(path)
        except SiteError as exc:
            yield exc


def _definition_files(paths: Iterable[str | Path]) -> Iterator[Traversable]:
    folders: list[Traversable] = [Path(p) for p in paths] + [BUNDLED / "real", BUNDLED / "demo"]
    for folder in folders:
        if folder.is_dir():
            yield from sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def _stem(path: Traversable) -> str:
    return PurePosixPath(path.name).stem


def read_site(path: Path | Traversable) -> SiteDefinition:
    """Read and validate one definition file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"{path}: not valid TOML: {exc}") from None
    return parse_site(data, str(path), default_name=_stem(path))


def parse_site(data: dict[str, Any], where: str, default_name: str) -> SiteDefinition:
    """Validate a definition's data against SCHEMA and build the SiteDefinition."""
    values = _check_table(data, SCHEMA, where, prefix="")
    name = values["name"] or default_name
    if not NAME_RE.match(name):
        raise SiteError(f"{where}: key 'name': {name!r} must be lower-case letters, digits, - or _")
    base = _check_base_url(values["base_url"], where)
    links, pagination, limits = values["links"], values["pagination"], values["limits"]
    _check_schedule(values["schedule"], where)
    incremental, health = values["incremental"], values["health"]
    rules = url_rules(values["urls"], where)
    return SiteDefinition(
        name=name,
        title=values["title"] or name,
        base_url=base,
        allowed_domains=tuple(
            values["allowed_domains"] or dict.fromkeys([urlsplit(base).hostname or "", *rules.hosts])
        ),
        start_urls=_absolute(values["start_urls"], base),
        feeds=_absolute(values["feeds"], base),
        sitemaps=_absolute(values["sitemaps"], base),
        schedule=values["schedule"],
        lang=values["lang"],
        encoding=values["encoding"],
        obey_robots=values["obey_robots"],
        enabled=values["enabled"],
        article_patterns=_patterns(links["article"], where, "links.article"),
        list_patterns=_patterns(links["list"], where, "links.list"),
        deny_patterns=_patterns(links["deny"], where, "links.deny"),
        next_page=pagination["next"],
        max_list_pages=pagination["max_pages"],
        max_depth=limits["max_depth"],
        max_pages=limits["max_pages"],
        download_delay=limits["download_delay"],
        concurrency=limits["concurrency"],
        autothrottle=limits["autothrottle"],
        download_timeout=limits["download_timeout"],
        user_agent=values["user_agent"],
        revisit_days=incremental["revisit_days"],
        full_walk=incremental["full_walk"],
        health=_health(health, where),
        overrides={k: v for k, v in values["extract"].items() if v},
        url_rules=rules,
        path=where,
        raw=data,
    )


def _check_table(data: Any, schema: dict[str, Any], where: str, prefix: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise SiteError(f"{where}: key {prefix.rstrip('.')!r} must be a table")
    for key in data:
        if key not in schema:
            hint = difflib.get_close_matches(key, list(schema), n=1)
            suggestion = f" (did you mean {prefix}{hint[0]!r}?)" if hint else ""
            raise SiteError(f"{where}: unknown key {prefix}{key!r}{suggestion}")
    values: dict[str, Any] = {}
    for key, spec in schema.items():
        if isinstance(spec, dict):
            values[key] = _check_table(data.get(key, {}), spec, where, f"{prefix}{key}.")
        else:
            values[key] = _check_value(data, key, spec, where, prefix)
    return values


def _check_value(data: dict[str, Any], key: str, spec: tuple[type, Any], where: str, prefix: str) -> Any:
    kind, default = spec
    if key not in data:
        if default is None:
            raise SiteError(f"{where}: missing required key {prefix}{key!r}")
        return list(default) if isinstance(default, list) else default
    value = data[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is Pairs:
        ok = isinstance(value, list) and all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v) for v in value
        )
    elif kind is list:
        ok = ok and all(isinstance(v, str) for v in value)
    if not ok:
        expected = EXPECTED.get(kind, f"a {kind.__name__}")
        raise SiteError(f"{where}: key {prefix}{key!r} must be {expected}, not {value!r}")
    if kind in (int, float) and value < 0:
        raise SiteError(f"{where}: key {prefix}{key!r} must not be negative")
    return value


def _check_base_url(url: str, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SiteError(f"{where}: key 'base_url': {url!r} is not an http(s) URL")
    return url if url.endswith("/") else url + "/"


def _check_schedule(expr: str, where: str) -> None:
    if not expr:
        return
    try:
        check_cron(expr)
    except CronError as exc:
        raise SiteError(f"{where}: key 'schedule': {exc}") from None


def _health(values: dict[str, Any], where: str) -> HealthRules:
    for key in ("max_error_percent", "max_field_drop_percent"):
        if not 0 <= values[key] <= 100:
            raise SiteError(f"{where}: key health.{key!r} must be a percentage between 0 and 100")
    if values["window_runs"] < 1:
        raise SiteError(f"{where}: key health.'window_runs' must be at least 1")
    return HealthRules(**values)


def url_rules(table: dict[str, Any], where: str) -> UrlRules:
    """Validate the [urls] table and build the site's canonicalisation rules."""
    for i, host in enumerate(table["hosts"]):
        if not HOST_RE.match(host):
            raise SiteError(f"{where}: key urls.hosts[{i}]: {host!r} is not a host name (no scheme, no path)")
    if table["scheme"] not in ("", "http", "https"):
        raise SiteError(f"{where}: key urls.scheme: {table['scheme']!r} must be http or https")
    for i, name in enumerate(table["index_files"]):
        if not name or "/" in name:
            raise SiteError(f"{where}: key urls.index_files[{i}]: {name!r} must be a file name such as index.html")
    rewrite = []
    for i, (expr, replacement) in enumerate(table["rewrite"]):
        try:
            pattern = re.compile(expr)
            pattern.sub(replacement, "")  # a bad group reference fails here, not in the middle of a crawl
        except re.error as exc:
            raise SiteError(f"{where}: key urls.rewrite[{i}]: {exc}") from None
        rewrite.append((pattern, replacement))
    return UrlRules(
        hosts=tuple(h.lower() for h in table["hosts"]),
        scheme=table["scheme"],
        index_files=tuple(table["index_files"]),
        drop_params=tuple(table["drop_params"]),
        keep_params=tuple(table["keep_params"]),
        rewrite=tuple(rewrite),
    )


def _absolute(urls: list[str], base: str) -> tuple[str, ...]:
    return tuple(urljoin(base, u) for u in urls)


def _patterns(exprs: list[str], where: str, key: str) -> tuple[re.Pattern[str], ...]:
    if key == "links.article" and not exprs:
        raise SiteError(f"{where}: key {key!r} needs at least one pattern")
    compiled = []
    for i, expr in enumerate(exprs):
        try:
            compiled.append(re.compile(expr))
        except re.error as exc:
            raise SiteError(f"{where}: key {key}[{i}]: bad regular expression {expr!r}: {exc}") from None
    return tuple(compiled)
