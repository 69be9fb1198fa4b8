"""Which utilities a written name denotes, so that a query by any alias finds the facts stored under another."""

from .subjects import Article
from .vocabulary import Vocabulary, load_vocabulary


def entities(written: str, vocabulary: Vocabulary | None = None) -> frozenset[str]:
    """Names the utilities in a written form: canonical names of known ones, name keys (东江|局) of unknown ones."""
    voc = vocabulary or load_vocabulary()
    article = Article(voc.gazetteer, written, "")
    out = set()
    for m in article.title_mentions:
        if m.role not in ("org", "place"):
            continue
        org = article.resolve(m)
        if org is not None:
            out.add(org.key or org.name)
    return frozenset(out)
