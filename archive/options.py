"""Options shared by the commands: declared once, used as decorators."""

from __future__ import annotations

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
