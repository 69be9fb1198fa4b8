"""Every setting of the project with its default; the one table to read."""

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- where things are -------------------------------------------------------------------------
ARCHIVE_DB = "archive.db"  # the SQLite archive every crawl writes to (--db on the command line)
SITES_PATHS: list[str] = []  # extra folders of site definitions (*.toml), searched before the bundled ones

# --- politeness (a site definition can override each of these) --------------------------------
USER_AGENT = "newsarchive/0.1 (+https://github.com/newsarchive/newsarchive; utility news archive)"
USER_AGENT_CONTACT = ""  # an e-mail or URL where site owners reach whoever runs the crawls; added to USER_AGENT
ROBOTSTXT_OBEY = True  # robots.txt is obeyed unless a site definition says otherwise
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # sites set their own with [limits] concurrency
AUTOTHROTTLE_ENABLED = True  # slow down when a server slows down; [limits] autothrottle = false turns it off
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30  # seconds; [limits] download_timeout per site
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # a news page is never this large; bigger bodies are traps
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
RETRY_AFTER_MAX_SECONDS = 60.0  # honour a 429/503 Retry-After up to this long before retrying; longer: give up
COOKIES_ENABLED = False  # news pages need no session; cookies only make crawls less reproducible
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# --- the pipeline -----------------------------------------------------------------------------
CONCURRENT_ITEMS = 16  # Scrapy starts this many tasks for every response; an article page yields one item
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.clean.CleanPipeline": 200,
    "pipelines.facts.FactsPipeline": 300,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.store.ArchivePipeline": 900,
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.incremental.IncrementalMiddleware": 50,  # before robots.txt: a known page costs no request at all
    "crawler.retryafter.RetryAfterMiddleware": 560,  # sees 429/503 just before RetryMiddleware retries them
    "crawler.faults.FaultMiddleware": 870,  # next to the downloader: sees every fault before retries hide it
}
EXTENSIONS = {
    "crawler.progress.ProgressLine": 500,
}
PROGRESS_ENABLED = False  # one live status line on stderr; the command line turns it on

CLEAN_MIN_BODY_CHARS = 60  # bodies shorter than this are not articles (list stubs, error pages)
CLEAN_REQUIRE_TITLE = True  # an article without a headline is dropped with reason MissingTitle

PIPELINE_WORKERS = -1  # processes for extraction and facts: -1 one per core but one (1 to 4), 0 in-process
FACTS_VOCABULARY_PATHS: list[str] = []  # analysts' extra vocabulary files (TOML), merged over the bundled one

# items per write transaction, or at most ARCHIVE_BATCH_SECONDS between commits, whichever comes first: the
# time bounds what a killed crawl has to fetch again; the count only caps bulk work (reprocess, import), where
# 1,000 stores 100k articles 13 % faster than 100, and 5,000 writes 27 % fewer bytes than 1,000 (bench/archive.py)
ARCHIVE_BATCH_SIZE = 5000
ARCHIVE_BATCH_SECONDS = 2.0
ARCHIVE_COMPRESS_LEVEL = 3  # Zstandard level for raw page bodies (archive/compression.py)

# --- incremental crawls, run locks and archive limits -------------------------------------------
INCREMENTAL_ENABLED = True  # skip archived article pages; conditional GET for list pages, feeds and sitemaps
INCREMENTAL_REFRESH = False  # fetch every article page again (newsarchive crawl --refresh)
INCREMENTAL_JOBS_DIR = ""  # a folder for Scrapy JOBDIRs, one per site, so a paused crawl resumes (--resume)
ARCHIVE_LOCKS = True  # one crawl per site and archive at a time (a lock file beside the archive)
ARCHIVE_MAX_SIZE_MB = 0  # refuse to grow the archive past this size: a full disk, on purpose (0: no cap)
ARCHIVE_LOCK_TIMEOUT = 30.0  # seconds to wait for another process's write transaction before giving up

# --- dedupe: one article per story (docs/DEDUPE.md) -----------------------------------------------
DEDUPE_NEAR_THRESHOLD = 0.6  # share of the longer text found in the shorter above which both tell one story
DEDUPE_CONTAINED_THRESHOLD = 0.9  # share of a text found inside a longer one above which it is quoted whole
DEDUPE_CUT_THRESHOLD = 0.7  # share of a later, shorter text found in an earlier one above which it is a cut copy
DEDUPE_BOILERPLATE_ARTICLES = 5  # a paragraph found in this many different articles is boilerplate, not content

# --- scale-out: workers on several machines share one crawl in Redis (docs/SCALING.md) ----------
ADDONS = {"crawler.distributed.worker.Distributed": 0}  # switches a crawl into a worker when REDIS_URL is set
REDIS_URL = ""  # redis://HOST:6379/0: crawl as a worker of the shared crawl (newsarchive crawl --redis)
REDIS_KEY_PREFIX = "newsarchive"  # every key of the crawl and the ingester starts with this
REDIS_HEARTBEAT_SECONDS = 2.0  # how often a worker says it is alive (and, when idle, looks for work)
REDIS_WORKER_TIMEOUT = 60.0  # a worker silent this long is dead: its in-flight requests go back to the queue
REDIS_CRAWL_LINGER = 300  # seconds an ended crawl stays current: a worker started late joins it, finds it done
REDIS_RETRY_SECONDS = 60.0  # keep reconnecting this long when Redis goes away (a restart) before giving up
REDIS_COMPRESS_LEVEL = 1  # zlib level for page bodies on their way to the ingester (fast; the archive recompresses)
REDIS_BLOOM_CAPACITY = 10_000_000  # URLs the known-URL filter holds at REDIS_BLOOM_ERROR (42 MB of Redis)
REDIS_BLOOM_ERROR = 1e-7  # chance that a URL not archived is taken for archived, and not fetched
REDIS_INGEST_BATCH = 100  # pages per ingester transaction; their stream entries are acknowledged after commit
