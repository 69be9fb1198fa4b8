"""Why an item was dropped: one DropItem subclass per reason, so Scrapy's stats count them apart."""

from scrapy.exceptions import DropItem


class NotAnArticle(DropItem):
    """The page holds no article: a list page, an error page served with 200, a binary file."""

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or "no_content"  # the extractor's word for what the page was


class MissingTitle(DropItem):
    """The page has a body but no headline could be found."""


class BodyTooShort(DropItem):
    """What looked like an article is too short to be one."""


class ErrorPage(DropItem):
    """An error page served with status 200 (a "soft 404"): not the article, so the next run fetches it again."""
