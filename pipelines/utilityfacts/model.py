"""The record handed to the pipeline: one figure about one utility, with the words that state it."""

from dataclasses import asdict, dataclass


@dataclass
class Fact:
    """A measured or achieved figure an article reports about a power utility."""

    kind: str
    subject: str | None
    region: str | None
    year: int | None
    value: float | int
    unit: str
    evidence: str
    start: int | None
    end: int | None

    def to_dict(self) -> dict:
        """Returns plain data so the pipeline can store or print the fact as JSON."""
        return asdict(self)
