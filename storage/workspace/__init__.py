"""The staff workspace's storage: topics (one per customer), message pairs, waits, closings,
the FAQ in the database and saved replies. Channel-neutral."""

from storage.workspace.faq import FaqItem, FaqStore, Saved, SeedEntry, SeedText, normalize
from storage.workspace.pairs import Direction, Pair, PairStore
from storage.workspace.topics import CustomerTurn, Topic, TopicClaim, TopicStore, Wait

__all__ = [
    "CustomerTurn",
    "FaqItem",
    "FaqStore",
    "Direction",
    "Pair",
    "PairStore",
    "Saved",
    "SeedEntry",
    "SeedText",
    "Topic",
    "TopicClaim",
    "TopicStore",
    "Wait",
    "normalize",
]
