"""Utility facts: the figures Chinese power-utility news reports, each with its evidence."""

from .entities import entities
from .finder import find_facts
from .model import Fact
from .vocabulary import Vocabulary, load_vocabulary

__all__ = ["Fact", "Vocabulary", "entities", "find_facts", "load_vocabulary"]
