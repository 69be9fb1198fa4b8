"""WACZ 1.1.1 export: the WARC, its CDXJ index and a page list, zipped with a datapackage.json.

Laid out as py-wacz lays it out (and `wacz validate` checks): archive/data.warc.gz stored uncompressed
in the zip, indexes/index.cdx, pages/pages.jsonl, datapackage.json listing each file's sha256 and size,
and datapackage-digest.json. Every part is written to a temporary folder first and streamed into the
zip, so memory stays flat.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from sqlite_utils import Database

from archive.exports.files import atomic
from archive.exports.rows import Bundle
from archive.exports.warc import write_warc
from archive.progress import Progress

WACZ_VERSION = "1.1.1"
WARC_NAME = "data.warc.gz"


def sha256_of(path: Path) -> tuple[str, int]:
    """The file's sha256 (as a datapackage writes it) and its size."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return f"sha256:{digest.hexdigest()}", size


def write_wacz(db: Database, bundles: Iterable[Bundle], path: Path, progress: Progress, title: str) -> int:
    """Write a WACZ package of the bundles; return how many articles it holds."""
    with tempfile.TemporaryDirectory() as folder:
        parts = {name: Path(folder, name.replace("/", "_")) for name in _NAMES}
        with parts["pages/pages.jsonl"].open("w", encoding="utf-8") as pages:
            pages.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": title}) + "\n")
            result = write_warc(db, bundles, parts[f"archive/{WARC_NAME}"], progress, pages, WARC_NAME)
        result.index.write(parts["indexes/index.cdx"])
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        package = json.dumps(datapackage(parts, title, created), indent=2).encode("utf-8")
        digest = {"path": "datapackage.json", "hash": f"sha256:{hashlib.sha256(package).hexdigest()}"}
        with atomic(path) as partial, zipfile.ZipFile(partial, "w") as wacz:
            for name, part in parts.items():
                stored = name.endswith(".gz")  # WARCs stay uncompressed in the zip, so replay can seek in them
                wacz.write(part, name, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
            wacz.writestr("datapackage.json", package, zipfile.ZIP_DEFLATED)
            wacz.writestr("datapackage-digest.json", json.dumps(digest, indent=2), zipfile.ZIP_DEFLATED)
    return result.articles


_NAMES = (f"archive/{WARC_NAME}", "indexes/index.cdx", "pages/pages.jsonl")


def datapackage(parts: dict[str, Path], title: str, created: str) -> dict[str, object]:
    """The datapackage.json of the package: every file with its hash and size."""
    resources = []
    for name, part in parts.items():
        digest, size = sha256_of(part)
        resources.append({"name": Path(name).name, "path": name, "hash": digest, "bytes": size})
    return {
        "profile": "data-package",
        "resources": resources,
        "title": title,
        "created": created,
        "wacz_version": WACZ_VERSION,
        "software": f"newsarchive {version('newsarchive')}",
    }
