"""Word tokens of node names, the second way a list's ``q`` finds a node (after the substring).

Measured in bench/thai_search.py (docs/benchmarks.md): a substring of the normalized name finds
what the user sees, but not words typed apart, reordered or with a space between them; pythainlp's
``newmm`` word segmentation finds those and ranks better. Both run: this module is the one place
that turns a name, or a query, into tokens, so that what is stored and what is searched agree.

Tokens are taken from :func:`dgplan_shared.text.search_key` (normalized, case-folded) and keep
only pieces with a letter or digit (spaces and punctuation are not words).
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources

from pythainlp.tokenize import word_tokenize

from dgplan_shared.text import search_key

ENGINE = "newmm"
# A query of more words than this is searched by substring only: the token condition grows with
# every word (one LIKE each on SQLite), and no plan name has that many.
MAX_QUERY_TOKENS = 32
# newmm's segmentation of the seed's names, made by tools/build_name_tokens.py and checked against
# newmm by the tests. newmm loads its dictionary on first use (2-3 s on the 2-core test machine),
# which would double the time `make run` takes to seed; with this table seeding never loads it.
PRECOMPUTED_FILE = "name-tokens.json"


@cache
def _precomputed() -> dict[str, tuple[str, ...]]:
    raw = resources.files("plan_registry.seed").joinpath(PRECOMPUTED_FILE).read_text(encoding="utf-8")
    return {key: tuple(words) for key, words in json.loads(raw).items()}


def segment(key: str) -> tuple[str, ...]:
    """newmm's words of an already normalized, case-folded text (no spaces or punctuation)."""
    pieces = (w.strip() for w in word_tokenize(key, engine=ENGINE, keep_whitespace=False))
    return tuple(w for w in pieces if w and any(c.isalnum() for c in w))


@lru_cache(maxsize=8192)  # a revision copies every name of its version: the same texts again
def tokens(text: str) -> tuple[str, ...]:
    key = search_key(text)
    known = _precomputed().get(key)
    return known if known is not None else segment(key)


def name_tokens(name_th: str, name_en: str) -> str:
    """What the ``name_tokens`` column holds: the Thai then the English name's words, space-joined."""
    return " ".join((*tokens(name_th), *tokens(name_en)))


def query_tokens(q: str) -> list[str]:
    """The distinct words of a search term, in order; empty when there are none or too many."""
    words = list(dict.fromkeys(tokens(q)))
    return words if len(words) <= MAX_QUERY_TOKENS else []
