"""Assemble demo webs: the bundled three-site web from stories.toml, or a large generated one."""

from __future__ import annotations

from crawler.demoweb.chaos import ChaosSite
from crawler.demoweb.daily import DailySite
from crawler.demoweb.portal import PortalSite
from crawler.demoweb.site import DemoSite
from crawler.demoweb.stories import expand, load_stories
from crawler.demoweb.synthetic import synthetic_articles
from crawler.demoweb.utility import UtilitySite

SITE_CLASSES: dict[str, type[DemoSite]] = {"utility": UtilitySite, "portal": PortalSite, "daily": DailySite}
TITLES = {"utility": "东江供电局", "portal": "电力资讯网", "daily": "东江日报"}
# host names under .test (RFC 2606): stable in the archive, never on the real internet
ORIGINS = {
    "utility": "http://www.djgdj.test",
    "portal": "http://www.dlzx.test",
    "daily": "http://www.djrb.test",
}


def demo_web() -> dict[str, DemoSite]:
    """The bundled demo web: site name (as in crawler/sites/demo) -> site."""
    pages = expand(load_stories())
    return {
        f"demo_{kind}": cls(f"demo_{kind}", TITLES[kind], ORIGINS[kind], [p for p in pages if p.site == kind])
        for kind, cls in SITE_CLASSES.items()
    }


def chaos_web() -> dict[str, DemoSite]:
    """The chaos site alone: a server that injects faults (not part of `newsarchive demo`)."""
    return {"demo_chaos": ChaosSite("demo_chaos", "混沌新闻网", "http://www.chaos.test")}


def large_web(pages: int, seed: int = 7, kind: str = "portal") -> dict[str, DemoSite]:
    """A generated web of about `pages` article pages on one site laid out like the demo `kind`."""
    cls = SITE_CLASSES[kind]
    site = cls(f"demo_{kind}", TITLES[kind], ORIGINS[kind], list(synthetic_articles(pages, seed, kind)))
    site.per_page = 20
    site.build_routes()
    return {site.name: site}
