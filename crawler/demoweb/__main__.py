"""Serve a demo web until interrupted: `python -m crawler.demoweb [--pages N] [--port P]`.

Crawl it through the printed proxy, e.g.
    http_proxy=http://127.0.0.1:PORT scrapy crawl news -a site=demo_portal
"""

import argparse
import json
import time

from crawler.demoweb.server import DemoServer
from crawler.demoweb.web import chaos_web, demo_web, large_web


def main() -> None:
    """Start the server, print {"proxy": …, "sites": {…}} as one JSON line, serve until killed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=0, help="serve a generated web of this many articles")
    parser.add_argument("--kind", default="portal", choices=["portal", "daily", "utility"])
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free one)")
    parser.add_argument("--chaos", action="store_true", help="also serve www.chaos.test, which injects faults")
    args = parser.parse_args()
    sites = large_web(args.pages, kind=args.kind) if args.pages else demo_web()
    if args.chaos:
        sites |= chaos_web()
    server = DemoServer(sites)
    proxy = server.start(args.port)
    print(json.dumps({"proxy": proxy, "sites": {n: s.origin for n, s in sites.items()}}), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
