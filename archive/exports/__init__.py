"""Exports of the archive (JSONL, CSV, Parquet, WARC, WACZ), each streamed article by article."""
