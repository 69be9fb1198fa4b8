"""Options shared by the commands: declared once, used as decorators."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    """--db PATH, on every command that touches the archive."""
    return click.option(
        "--db",
        "db_path",
        default="archive.db",
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The SQLite archive file.",
    )(func)


def sites_dir_option(func: F) -> F:
    """--sites-dir DIR, for site definitions kept outside the package."""
    return click.option(
        "--sites-dir",
        "sites_dirs",
        multiple=True,
        envvar="NEWSARCHIVE_SITES",
        type=click.Path(file_okay=False, exists=True),
        help="Extra folder of site definitions (repeatable).",
    )(func)


def verbose_option(func: F) -> F:
    """-v: show Scrapy's log."""
    return click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO level).")(func)


DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?)?)?$")


def check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Accept an ISO 8601 date or time, from a year down to seconds (a click callback)."""
    if value is not None and not DATE.match(value):
        raise click.BadParameter(f"{value!r} is not a date such as 2024, 2024-03 or 2024-03-31")
    return value


def selection_options(func: F) -> F:
    """--site, --since, --until: which articles a read command looks at."""
    for option in reversed(
        [
            click.option("--site", help="Only articles of this site."),
            click.option("--since", callback=check_date, help="Only articles published on or after this date."),
            click.option("--until", callback=check_date, help="Only articles published on or before this date."),
        ]
    ):
        func = option(func)
    return func


def _settings(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for text in values:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{text!r} is not NAME=VALUE")
        pairs[name.strip()] = value
    return pairs


def settings_option(func: F) -> F:
    """-s NAME=VALUE: override a project setting (as `crawl --set` does), given as a dict."""
    return click.option(
        "-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", callback=_settings, help="Override a setting."
    )(func)
