"""One compact regex for a large list of literal names, so a gazetteer scan is a single pass."""

import re


def trie_regex(words) -> str:
    """Builds an alternation that always prefers the longest name at a position."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_regex(trie) if trie else r"(?!x)x"


def _node_regex(node: dict) -> str:
    """Renders one trie node; the end marker goes last so longer continuations win."""
    branches = [re.escape(ch) + _node_regex(child) for ch, child in sorted(node.items()) if ch]
    optional = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if optional:
        return "(?:" + body + ")?"
    return body
