"""Scale-out: one crawl shared by worker processes on several machines, over Redis (scrapy-redis).

Workers fetch and push raw pages to a Redis stream; `newsarchive ingest` is the archive's one writer.
docs/SCALING.md describes the design; settings are the REDIS_* ones in crawler/settings.py.
"""
