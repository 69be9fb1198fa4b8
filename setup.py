"""Lets `scrapyd-deploy` build an egg; everything else about the package is in pyproject.toml."""

from setuptools import setup

setup()
