"""Cue lexicons: readable phrases, all matched in one pass over a folded text (Aho-Corasick).

One syntax for every cue list of Veille (topics, sentiment and question cues, contributor
profiles). A phrase is matched on `nlp.text.normalise(text)` — lower case, accents stripped,
apostrophes unified — and is folded the same way, so "déçu" matches "DECU" and "deçu".

- A phrase matches at word boundaries: where its first (last) character is a letter or a
  digit, the character before (after) it in the text must not be a letter, a digit or "_"
  (so "so" is not found in "@belardo_so"). Punctuation is literal:
  "est-ce que", "conseil :", "?", "etsy.com".
- `(a|b|c)` are alternatives; an empty one makes the group optional:
  "déçu(|e|s|es) (de|par)", "je (vous |)recommande". Groups do not nest.
- `*` at the end stands for any ending of the last word ("arnaque*": arnaques, arnaqueur); at
  the start, any beginning of the first word ("*n't": don't, isn't).
- `^` at the start: only at the start of the post, after any leading @handles ("^comment").
- `<n>` stands for a number (digits), `<w>` for any one word; one of them per phrase:
  "<n> jours de retard", "ça fait <w> semaines que j'attends".

Matches of one lexicon never overlap: at each place the longest phrase wins and the scan goes
on after it, so counts are what a person would count reading the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import product
from typing import NamedTuple

import ahocorasick
import numpy as np

from nlp.text import normalise

_GROUP = re.compile(r"\(([^()]*)\)")
_GAP = re.compile(r"<([nw])>")
_LEADING_HANDLES = re.compile(r"(?:\s*@\w+)*\s*")

# How the text around a matched key is checked (bits of Entry.checks).
_START = 1  # the first character is a letter or digit: the one before must not be
_END = 2  # the same after the last character
_ANCHORED = 4  # `^`: only at the start of the post
_GROW_LEFT = 8  # `*` first: the match takes in the rest of the first word
_GROW_RIGHT = 16  # `*` last: the match takes in the rest of the last word
_PLAIN_MASK = _ANCHORED | _GROW_LEFT | _GROW_RIGHT  # any of these: the full check (_place)


class Entry(NamedTuple):
    """One expanded phrase behind an automaton key."""

    lexicon: int
    length: int  # of the key
    checks: int
    gap: str = ""  # "n" (digits) or "w" (a word) between `other` and the key, or after the key
    other: str = ""  # the literal before the gap ("" when the phrase starts with it)
    gap_first: bool = True  # the key follows the gap (else the gap follows the key)
    bit: int = 0  # 1 << lexicon


def expand(phrase: str) -> list[str]:
    """Every literal spelling of a phrase's alternatives, folded: "a (b|c)" → ["a b", "a c"]."""
    folded = normalise(phrase)
    parts: list[list[str]] = []
    pos = 0
    for group in _GROUP.finditer(folded):
        parts.append([folded[pos : group.start()]])
        parts.append(group.group(1).split("|"))
        pos = group.end()
    parts.append([folded[pos:]])
    rest = "".join(p[0] for p in parts if len(p) == 1)
    if "(" in rest or ")" in rest:
        raise ValueError(f"cue phrase {phrase!r}: groups ( | ) may not nest or stay open")
    return ["".join(choice) for choice in product(*parts)]


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _entries(lexicon: int, phrase: str, spelling: str) -> tuple[str, Entry]:
    anchored = spelling.startswith("^")
    body = spelling[1:] if anchored else spelling
    grow_left, grow_right = body.startswith("*"), body.endswith("*") and len(body) > 1
    body = body[1 if grow_left else 0 : len(body) - 1 if grow_right else len(body)]
    gaps = _GAP.findall(body)
    if len(gaps) > 1 or (gaps and (anchored or grow_left)) or not body.strip():
        raise ValueError(f"cue phrase {phrase!r}: one <n> or <w> at most, not with ^ or a first *")
    checks = (_ANCHORED if anchored else 0) | (_GROW_LEFT if grow_left else 0)
    checks |= _GROW_RIGHT if grow_right else 0
    if not gaps:
        if not grow_left and _is_word(body[0]):
            checks |= _START
        if not grow_right and _is_word(body[-1]):
            checks |= _END
        return body, Entry(lexicon, len(body), checks, bit=1 << lexicon)
    before, after = _GAP.split(body)[0], _GAP.split(body)[2]
    if after:  # the key is what follows the gap; the gap and `before` are checked backwards
        if not before or _is_word(before[0]):
            checks |= _START
        if not grow_right and _is_word(after[-1]):
            checks |= _END
        return after, Entry(lexicon, len(after), checks, gaps[0], before, True, 1 << lexicon)
    if not before or grow_right:
        raise ValueError(f"cue phrase {phrase!r}: <n> or <w> needs words beside it, and no *")
    if _is_word(before[0]):
        checks |= _START
    return before, Entry(lexicon, len(before), checks | _END, gaps[0], "", False, 1 << lexicon)


def _run(text: str, i: int, step: int, gap: str) -> int:
    """From index i, going by `step`, the index just past the run of gap characters."""
    test = str.isdigit if gap == "n" else _is_word
    n = len(text)
    while 0 <= i < n and test(text[i]):
        i += step
    return i


class PhraseLexicons:
    """Named lists of cue phrases compiled into one automaton; `scan` finds them all at once."""

    def __init__(self, lexicons: Mapping[str, Iterable[str]]) -> None:
        self.names = tuple(lexicons)
        keyed: dict[str, list[Entry]] = {}
        for index, phrases in enumerate(lexicons.values()):
            for phrase in phrases:
                for spelling in expand(phrase):
                    key, entry = _entries(index, phrase, spelling)
                    if entry not in keyed.setdefault(key, []):
                        keyed[key].append(entry)
        self.automaton = ahocorasick.Automaton()
        for key, entries in keyed.items():
            self.automaton.add_word(key, tuple(entries))
        self.automaton.make_automaton()

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"no lexicon {name!r}; lexicons: {', '.join(self.names)}") from None

    def _matches(self, folded: str) -> Iterator[tuple[int, int, int]]:
        """(lexicon, start, end) of every match, overlapping ones included."""
        n = len(folded)
        for last, entries in self.automaton.iter(folded):
            for entry in entries:
                if entry.checks & _PLAIN_MASK or entry.gap:
                    span = _place(folded, last, entry)
                    if span is not None:
                        yield entry.lexicon, span[0], span[1]
                    continue
                start = last - entry.length + 1
                if entry.checks & _START and start and _is_word(folded[start - 1]):
                    continue
                if entry.checks & _END and last + 1 < n and _is_word(folded[last + 1]):
                    continue
                yield entry.lexicon, start, last + 1

    def hits(self, folded: str) -> list[list[tuple[int, int]]]:
        """Every place each lexicon matches (start, end), overlapping ones included."""
        out: list[list[tuple[int, int]]] = [[] for _ in self.names]
        for lexicon, start, end in self._matches(folded):
            out[lexicon].append((start, end))
        return out

    def scan(self, folded: str) -> list[list[tuple[int, int]]]:
        """The matches of each lexicon, without overlaps: the leftmost, then the longest."""
        out = self.hits(folded)
        for i, spans in enumerate(out):
            if len(spans) > 1:
                out[i] = _leftmost_longest(spans)
        return out

    def counts(self, folded: str) -> list[int]:
        return [len(spans) for spans in self.scan(folded)]

    def flags(self, texts: Iterable[str]) -> np.ndarray:
        """Bool matrix (texts × lexicons): does each lexicon match each (already folded) text."""
        rows: list[int] = []
        for text in texts:
            found = 0
            n = len(text)
            # The loop of _matches, written out: this runs once per post of the authors' window.
            for last, entries in self.automaton.iter(text):
                for entry in entries:
                    bit = entry[6]
                    if found & bit:
                        continue
                    checks = entry[2]
                    if checks & _PLAIN_MASK or entry[3]:
                        if _place(text, last, entry) is None:
                            continue
                    else:
                        start = last - entry[1] + 1
                        if (
                            checks & _START
                            and start
                            and ((c := text[start - 1]).isalnum() or c == "_")
                        ):
                            continue
                        end = last + 1
                        if checks & _END and end < n and ((c := text[end]).isalnum() or c == "_"):
                            continue
                    found |= bit
            rows.append(found)
        bits = np.array(rows, dtype=np.int64).reshape(-1, 1)
        return (bits >> np.arange(len(self.names), dtype=np.int64) & 1).astype(bool)


def _place(folded: str, last: int, entry: Entry) -> tuple[int, int] | None:
    """The span of a key found ending at `last` once its phrase's gap, anchor and wildcards are
    checked; None when the text around it does not fit."""
    start, end = last - entry.length + 1, last + 1
    checks = entry.checks
    if entry.gap:
        if entry.gap_first:
            g = _run(folded, start - 1, -1, entry.gap) + 1
            begin = g - len(entry.other)
            if g == start or begin < 0 or not folded.startswith(entry.other, begin):
                return None
            start = begin
        else:
            g = _run(folded, end, 1, entry.gap)
            if g == end:
                return None
            end = g
    if checks & _START and start and _is_word(folded[start - 1]):
        return None
    if checks & _END and end < len(folded) and _is_word(folded[end]):
        return None
    if checks & _ANCHORED:
        head = _LEADING_HANDLES.match(folded)
        if start != (head.end() if head else 0):
            return None
    if checks & _GROW_LEFT:
        start = _run(folded, start - 1, -1, "w") + 1
    if checks & _GROW_RIGHT:
        end = _run(folded, end, 1, "w")
    return start, end


def _leftmost_longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int]] = []
    reached = -1
    for start, end in spans:
        if start >= reached:
            kept.append((start, end))
            reached = end
    return kept
