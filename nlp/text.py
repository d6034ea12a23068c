"""Text normalisation and word tokens shared by brand queries and every text feature.

`normalise` is Veille's one text folding: it case-folds and folds accents, ligatures and
apostrophes ("École" → "ecole", "cœur" → "coeur", "l’appli" → "l'appli"); brand queries, cue
lexicons, stop words and near-duplicate detection all compare folded text.
`tokenise` is its one tokeniser. By default it cuts text into normalised words for matching:
letters and digits only, so punctuation, apostrophes (French elisions "d'Amazon", "l’appli")
and emoji ("Fnac😡") separate words; hashtags and handles stay one token with their sign and
underscores ("#soldes_hiver", "@fnac_help"). Its options give the words people read in top
and emerging terms: accents kept, links and numbers left out, elisions cut off.
"""

from __future__ import annotations

import re
import unicodedata

# The combining diacritical marks (U+0300-U+036F) NFKD leaves on Latin, Greek and Cyrillic
# letters; in UTF-8 each starts with byte 0xCC or 0xCD, which is quick to look for.
_COMBINING = re.compile("[\u0300-\u036f]+")

# A hashtag or handle starts a token (not "contact@fnac.com"); otherwise a word is a run of
# letters and digits (`\w` minus the underscore, i.e. what str.isalnum accepts).
TOKEN_PATTERN = re.compile(r"(?<![\w#@])[#@]\w+|[^\W_]+")

# ASCII bytes that can never be part of a token become spaces, ASCII capitals become small
# letters; non-ASCII bytes are kept (their pieces are normalised one by one).
_KEEP = b"#@_0123456789abcdefghijklmnopqrstuvwxyz"
_ASCII_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else c if c in _KEEP or c >= 0x80 else 0x20 for c in range(256)
)

SIGNS = ("#", "@")
_PIECE_CACHE: dict[str, list[str]] = {}
_PIECE_CACHE_MAX = 200_000


# Typographic apostrophes (and the grave and acute accents typed for one) become "'"; the
# ligatures NFKD leaves alone are spelled out.
_REPLACE = (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("´", "'"), ("`", "'"), ("œ", "oe"), ("æ", "ae"))


def _replaced(text: str) -> str:
    for typed, plain in _REPLACE:
        if typed in text:
            text = text.replace(typed, plain)
    return text


def _nfkd_fold(text: str) -> str:
    """The rule itself, for case-folded text: replacements, NFKD, combining marks dropped."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", _replaced(text)))


# Most accented text is Latin-1 (é, à, ç, ô, «…): there, folding is one byte-for-byte table
# made from the rule. The few Latin-1 characters that fold to several (¼, æ, µ…) map to NUL,
# which sends the text down the general path.
_LATIN1_FOLD = bytes(
    ord(f) if c and len(f := _nfkd_fold(chr(c))) == 1 and ord(f) < 256 else 0 for c in range(256)
)


def _latin1_fold(text: str) -> str | None:
    try:
        folded = text.encode("latin-1").translate(_LATIN1_FOLD)
    except UnicodeEncodeError:
        return None
    return None if b"\x00" in folded else folded.decode("latin-1")


def normalise(text: str) -> str:
    """Case-fold, strip accents, fold œ/æ ligatures, compatibility forms (ﬁ, ², full-width,
    no-break spaces) and apostrophes (’ → ')."""
    folded = text.casefold()
    if folded.isascii():
        return folded.replace("`", "'") if "`" in folded else folded
    fast = _latin1_fold(folded)
    if fast is None:  # typographic apostrophes and œ are not Latin-1: replaced, then again
        folded = _replaced(folded)
        fast = _latin1_fold(folded)
    return fast if fast is not None else _nfkd_fold(folded)


_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
# A word as people write it: it starts with a letter, and keeps inner apostrophes
# ("aujourd'hui", "don't"); its French elision ("l'appli", "qu'il", "jusqu'à") and English
# possessive ("Lumino's") are cut off.
_READ_WORD = re.compile(r"[^\W\d_][^\W_]*(?:'[^\W_]+)*")
_ELISION = re.compile(r"^(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])'(?=[^\W\d_])")
_POSSESSIVE = re.compile(r"'s$")


def tokenise(text: str, *, read: bool = False) -> list[str]:
    """The word tokens of `text`, in order.

    By default, for matching: normalised (`normalise`), hashtags and handles with their sign.
    With `read=True`, the words a person reads: case-folded and apostrophes unified but accents
    kept, links and numbers left out, no hashtag or handle sign, elisions and possessives cut
    off: "J'ai vu l’appli de Lumino's shop, 9 h, sur https://x.fr" → ["ai", "vu", "appli", "de",
    "lumino", "shop", "h", "sur"].

    The default is always equal to `TOKEN_PATTERN.findall(normalise(text))`, only faster: ASCII
    punctuation and capitals are handled for the whole text at once by a byte table, and each
    remaining piece between spaces is normalised once and remembered (a text's words repeat).
    """
    if read:
        return _read_words(text)
    if text.isascii():
        pieces = text.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split()
        if all(map(str.isalnum, pieces)):
            return pieces
    else:
        data = text.encode("utf-8", "surrogatepass")
        if b"\xcc" in data or b"\xcd" in data:  # combining marks: normalise the text as a whole
            return TOKEN_PATTERN.findall(normalise(text))
        pieces = data.translate(_ASCII_FOLD).decode("utf-8", "surrogatepass").split()
    cache = _PIECE_CACHE
    get = cache.get
    out: list[str] = []
    for piece in pieces:
        found = get(piece)
        if found is None:
            if len(cache) >= _PIECE_CACHE_MAX:
                cache.clear()
            found = cache[piece] = TOKEN_PATTERN.findall(normalise(piece))
        out += found
    return out


def _read_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFC", _URL.sub(" ", text)).casefold()
    for typed in ("’", "‘", "ʼ", "´", "`"):
        if typed in folded:
            folded = folded.replace(typed, "'")
    return [
        _POSSESSIVE.sub("", _ELISION.sub("", word)) if "'" in word else word
        for word in _READ_WORD.findall(folded)
    ]  # (an elision and a possessive both have an apostrophe)


def bare(token: str) -> str:
    """The token without its hashtag or handle sign: "#soldes" → "soldes"."""
    return token[1:] if token[:1] in SIGNS else token
