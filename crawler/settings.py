"""Every setting of the project with its default; the one table to read."""

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- where things are -------------------------------------------------------------------------
ARCHIVE_DB = "archive.db"  # the SQLite archive every crawl writes to (--db on the command line)
SITES_PATHS: list[str] = []  # extra folders of site definitions (*.toml), searched before the bundled ones

# --- politeness -------------------------------------------------------------------------------
USER_AGENT = "newsarchive/0.1 (+https://github.com/newsarchive/newsarchive; utility news archive)"
ROBOTSTXT_OBEY = True  # robots.txt is obeyed unless a site definition says otherwise
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # a news page is never this large; bigger bodies are traps
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False  # news pages need no session; cookies only make crawls less reproducible
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# --- the pipeline -----------------------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.clean.CleanPipeline": 200,
    "pipelines.facts.FactsPipeline": 300,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.store.ArchivePipeline": 900,
}
EXTENSIONS = {
    "crawler.progress.ProgressLine": 500,
}
PROGRESS_ENABLED = False  # one live status line on stderr; the command line turns it on

CLEAN_MIN_BODY_CHARS = 60  # bodies shorter than this are not articles (list stubs, error pages)
CLEAN_REQUIRE_TITLE = True  # an article without a headline is dropped with reason MissingTitle

FACTS_VOCABULARY_PATHS: list[str] = []  # analysts' extra vocabulary files (TOML), merged over the bundled one

ARCHIVE_BATCH_SIZE = 100  # items per write transaction
ARCHIVE_BATCH_SECONDS = 2.0  # ... or at most this long between commits, whichever comes first
ARCHIVE_COMPRESS_LEVEL = 6  # zlib level for raw page bodies

# --- dedupe: one article per story (docs/DEDUPE.md) -----------------------------------------------
DEDUPE_NEAR_THRESHOLD = 0.6  # share of the longer text found in the shorter above which both tell one story
DEDUPE_CONTAINED_THRESHOLD = 0.9  # share of a text found inside a longer one above which it is quoted whole
DEDUPE_CUT_THRESHOLD = 0.7  # share of a later, shorter text found in an earlier one above which it is a cut copy
DEDUPE_BOILERPLATE_ARTICLES = 5  # a paragraph found in this many different articles is boilerplate, not content
