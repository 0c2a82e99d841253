"""Near-duplicate text: character shingles, Jaccard, and an index that avoids comparing every pair.

Copied measures (照抄照搬的整改措施) and copied rules (照搬上级或其他单位的制度) rarely match byte for
byte: punctuation, a unit's name or a few words change. So texts are normalized (full-width folded,
punctuation and ordinal prefixes such as "一是" removed) and cut into overlapping character n-grams;
two texts are compared by the Jaccard index of their n-gram sets.

Finding every pair above a threshold among 10,000 measures must not compare 50 million pairs. The
index keeps an inverted list (n-gram → texts) and probes it with each text's *prefix*: its rarest
n-grams, as many as can be missing while the threshold is still reachable. Any text sharing none of
them cannot reach the threshold (prefix filtering, Chaudhuri et al. 2006; Bayardo et al. 2007), so
the result is exact, not a probabilistic sketch.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

__all__ = [
    "DEFAULT_NGRAM",
    "SimilarPair",
    "SimilarityIndex",
    "containment",
    "jaccard",
    "normalize",
    "shingles",
    "similarity",
]

DEFAULT_NGRAM = 2

# Prefix extension of the all-pairs join: candidates must share this many n-grams in their prefixes.
_EXTRA = 2

# Function characters are dropped before shingling: "与派驻纪检监察组的沟通" copies "同派驻纪检监察组沟通".
# Float thresholds meet integer counts; this keeps 0.6 × 10 from becoming 6.000000000000001.
_EPSILON = 1e-9

_ORDINAL = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}是|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.、．]|"
    r"[一二三四五六七八九十]{1,3}[、.])"
)
_NOT_WORD = re.compile(r"[^\w]|_|[的了和与及并等之地着]", re.UNICODE)


def normalize(text: str) -> str:
    """Fold width and case; drop a leading ordinal ("一是", "（二）", "3."), punctuation, spaces and the
    function characters (的, 了, 和, 与, 及, …) whose insertion is the commonest rewording of a copy."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = _ORDINAL.sub("", folded, count=1)
    return _NOT_WORD.sub("", folded)


@functools.lru_cache(maxsize=65_536)
def shingles(text: str, n: int = DEFAULT_NGRAM) -> frozenset[str]:
    """The set of character n-grams of the normalized text (a short text is its own single shingle).

    Cached: a task page compares one measure with the same few thousand measures of other plans on
    every view.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    norm = normalize(text)
    if len(norm) <= n:
        return frozenset([norm]) if norm else frozenset()
    return frozenset(norm[i : i + n] for i in range(len(norm) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|A ∩ B| / |A ∪ B|; two empty sets are identical (1.0)."""
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def containment(part: frozenset[str], whole: frozenset[str]) -> float:
    """|A ∩ B| / |A|: how much of `part` appears in `whole` (a rule pasted into a longer text)."""
    if not part:
        return 1.0 if not whole else 0.0
    return len(part & whole) / len(part)


def similarity(a: str, b: str, *, n: int = DEFAULT_NGRAM) -> float:
    """Jaccard similarity of two texts' shingle sets, in [0, 1]; symmetric, 1.0 on identical text."""
    return jaccard(shingles(a, n), shingles(b, n))


@dataclass(frozen=True)
class SimilarPair:
    """Two indexed texts at or above the threshold; `a` was added before `b`."""

    a: Hashable
    b: Hashable
    score: float
    same_group: bool


@dataclass
class _Entry:
    key: Hashable
    group: Hashable | None
    text: str
    tokens: frozenset[str]


class SimilarityIndex:
    """Texts keyed by the caller (a task id, a rule id), each optionally in a group (a unit, a plan).

    `pairs()` lists every pair whose Jaccard score reaches the threshold; `search()` finds the
    indexed texts close to a new one. Both are exact.
    """

    def __init__(self, *, n: int = DEFAULT_NGRAM) -> None:
        self.n = n
        self._entries: list[_Entry] = []
        self._positions: dict[Hashable, int] = {}
        self._postings: dict[str, list[int]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, key: Hashable, text: str, *, group: Hashable | None = None) -> None:
        if key in self._positions:
            raise ValueError(f"duplicate key {key!r}")
        tokens = shingles(text, self.n)
        position = len(self._entries)
        self._entries.append(_Entry(key, group, text, tokens))
        self._positions[key] = position
        for token in tokens:
            self._postings[token].append(position)

    def _prefix(self, tokens: frozenset[str], threshold: float) -> list[str]:
        """The rarest tokens of `tokens`: any set sharing `threshold` of them shares one of these."""
        size = len(tokens)
        needed = max(1, math.ceil(threshold * size - _EPSILON))
        ordered = sorted(tokens, key=lambda t: (len(self._postings.get(t, ())), t))
        return ordered[: size - needed + 1]

    def _candidates(self, tokens: frozenset[str], threshold: float) -> set[int]:
        found: set[int] = set()
        for token in self._prefix(tokens, threshold):
            found.update(self._postings.get(token, ()))
        return found

    def search(
        self, text: str, threshold: float, *, measure: str = "jaccard"
    ) -> list[tuple[Hashable, float]]:
        """Indexed texts similar to `text`, best first.

        measure="jaccard" compares the whole texts; measure="containment" scores how much of `text`
        appears inside each indexed text, which catches a rule pasted into a longer document.
        """
        _check_threshold(threshold)
        if measure not in ("jaccard", "containment"):
            raise ValueError(f"unknown measure {measure!r}")
        tokens = shingles(text, self.n)
        if not tokens:
            return []
        results: list[tuple[Hashable, float]] = []
        for position in self._candidates(tokens, threshold):
            entry = self._entries[position]
            if measure == "jaccard":
                score = jaccard(tokens, entry.tokens)
            else:
                score = containment(tokens, entry.tokens)
            if score + _EPSILON >= threshold:
                results.append((entry.key, score))
        results.sort(key=lambda item: (-item[1], str(item[0])))
        return results

    def pairs(self, threshold: float, *, scope: str = "all") -> list[SimilarPair]:
        """Every pair with Jaccard ≥ threshold, best first.

        scope="all" keeps every pair, "within" only pairs in the same group (one plan repeating
        itself), "across" only pairs from different groups (one unit copying another).
        """
        _check_threshold(threshold)
        if scope not in ("all", "within", "across"):
            raise ValueError(f"unknown scope {scope!r}")
        # PPJoin (Xiao et al. 2008) with prefixes one n-gram longer (AdaptJoin, Wang et al. 2012):
        # texts sorted by size, n-grams ranked rarest first. A pair needing an overlap of α ≥ 2
        # shares at least two n-grams in these prefixes, and only while the n-grams still to come
        # could supply α (positional filter). Pairs sharing one rare n-gram are never verified.
        rank = {
            token: i
            for i, token in enumerate(sorted(self._postings, key=lambda t: (len(self._postings[t]), t)))
        }
        order = sorted(
            (p for p, e in enumerate(self._entries) if e.tokens), key=lambda p: len(self._entries[p].tokens)
        )
        sizes = [len(e.tokens) for e in self._entries]
        # token → [(position, size, n-grams after this one)], in increasing size; `starts` skips
        # the front entries that became too small for every later (larger) text.
        index: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        starts: dict[int, int] = defaultdict(int)
        ratio = threshold / (1 + threshold)
        found: list[SimilarPair] = []
        for position in order:
            entry = self._entries[position]
            ranks = sorted(rank[token] for token in entry.tokens)
            size = sizes[position]
            min_size = threshold * size - _EPSILON
            probe = min(size, size - math.ceil(threshold * size - _EPSILON) + _EXTRA)
            overlap: dict[int, int] = {}
            for i in range(probe):
                token = ranks[i]
                postings = index.get(token)
                if not postings:
                    continue
                start = starts[token]
                while start < len(postings) and postings[start][1] < min_size:
                    start += 1
                starts[token] = start
                rest = size - i - 1
                for k in range(start, len(postings)):
                    other_position, other_size, other_rest = postings[k]
                    seen = overlap.get(other_position, 0)
                    if seen < 0:
                        continue
                    needed = math.ceil(ratio * (size + other_size) - _EPSILON)
                    if seen + 1 + (rest if rest < other_rest else other_rest) >= needed:
                        overlap[other_position] = seen + 1
                    else:
                        overlap[other_position] = -1
            kept = min(size, size - math.ceil(2 * ratio * size - _EPSILON) + _EXTRA)
            for i in range(kept):
                index[ranks[i]].append((position, size, size - i - 1))
            for other_position, seen in overlap.items():
                needed = math.ceil(ratio * (size + sizes[other_position]) - _EPSILON)
                if seen < min(_EXTRA, needed):
                    continue
                other = self._entries[other_position]
                same_group = entry.group is not None and entry.group == other.group
                if (scope == "within" and not same_group) or (scope == "across" and same_group):
                    continue
                score = jaccard(entry.tokens, other.tokens)
                if score + _EPSILON >= threshold:
                    first, second = sorted((other_position, position))
                    a, b = self._entries[first], self._entries[second]
                    found.append(SimilarPair(a.key, b.key, score, same_group))
        found.sort(key=lambda p: (-p.score, str(p.a), str(p.b)))
        return found


def _check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
