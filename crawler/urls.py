"""Canonical URLs: one spelling per page, so that two URLs of one page are one article.

The generic rules (case, default ports, fragments, sorted query, tracking parameters) hold for any
site; a site definition's [urls] table adds what only that site knows (UrlRules): which host names
serve the same pages, which file a directory URL stands for, which parameters never name a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# parameters that say who sent the reader, never which page it is
TRACKING = re.compile(
    r"^(utm_\w+|spm|from|scm|share_?\w*|fromuid|source|src|ref|refer|isappinstalled|wfr|"
    r"timestamp|t|_t|time|rand|r|tt_from|tt_group_id|mod|loc|cre|doct|rfunc|clickid|fbclid|gclid)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class UrlRules:
    """A site's own spelling rules, read from the [urls] table of its definition."""

    hosts: tuple[str, ...] = ()  # host names serving the same pages; the first is the one kept
    scheme: str = ""  # http or https, for a site that serves every page under both
    index_files: tuple[str, ...] = ()  # file names a directory URL stands for (index.html): /a/index.html == /a/
    drop_params: tuple[str, ...] = ()  # more query parameters that never name a page on this site
    keep_params: tuple[str, ...] = ()  # parameters that look like tracking but do name a page here
    rewrite: tuple[tuple[re.Pattern[str], str], ...] = ()  # (pattern, replacement) on the canonical URL

    def host(self, name: str) -> str:
        """The host name kept for a host this site answers on."""
        return self.hosts[0] if self.hosts and name in self.hosts else name


NO_RULES = UrlRules()


def canonical_url(url: str, rules: UrlRules = NO_RULES) -> str:
    """Normalise case, ports, fragments, query order and tracking parameters, then apply the site's rules."""
    canonical = _generic(url.strip(), rules)
    for pattern, replacement in rules.rewrite:
        canonical = pattern.sub(replacement, canonical)
    return _generic(canonical, rules) if rules.rewrite else canonical


def _generic(url: str, rules: UrlRules) -> str:
    parts = urlsplit(canonicalize_url(url))
    scheme = rules.scheme or parts.scheme.lower()
    host = rules.host((parts.hostname or "").lower().rstrip("."))
    port = parts.port if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme.lower()) else None
    netloc = f"{host}:{port}" if port else host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if _names_page(k, rules)])
    return urlunsplit((scheme, netloc, _path(parts.path or "/", rules), query, ""))


def _names_page(param: str, rules: UrlRules) -> bool:
    if param in rules.keep_params:
        return True
    return not TRACKING.match(param) and param not in rules.drop_params


def _path(path: str, rules: UrlRules) -> str:
    head, _, last = path.rpartition("/")
    return f"{head}/" if last and last in rules.index_files else path
