"""Canonical URLs: one spelling per page, so that two URLs of one page are one article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# parameters that say who sent the reader, never which page it is
TRACKING = re.compile(
    r"^(utm_\w+|spm|from|scm|share_?\w*|fromuid|source|src|ref|refer|isappinstalled|wfr|"
    r"timestamp|t|_t|time|rand|r|tt_from|tt_group_id|mod|loc|cre|doct|rfunc|clickid|fbclid|gclid)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Normalise case, ports, fragments, query order and tracking parameters."""
    parts = urlsplit(canonicalize_url(url.strip()))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port if parts.port and parts.port != DEFAULT_PORTS.get(scheme) else None
    netloc = f"{host}:{port}" if port else host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))
