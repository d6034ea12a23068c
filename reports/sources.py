"""Sources as people name them: "X (Twitter)", "Forum", never a config id such as twitter-inbox.

A source's display name is its `title` from the config when given, else the name of its kind
from the vocabulary (storage.vocab, French and English); when several sources share a kind, the
site's address (or the inbox folder) tells them apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from config.settings import Settings
from storage.vocab import Lang, name


@dataclass(frozen=True)
class SourceName:
    source: str  # the config id (kept for scripts and the JSON report)
    kind: str
    title: str | None = None
    place: str | None = None  # host of the URL, or the inbox folder

    def shown(self, lang: Lang, ambiguous: bool) -> str:
        if self.title:
            return self.title
        kind = name("source_kind", self.kind, lang)
        return f"{kind} · {self.place}" if ambiguous and self.place else kind


class SourceNames:
    """Display names of the stored sources, per language (`names.shown("twitter-inbox", "fr")`)."""

    def __init__(self, sources: dict[str, str], settings: Settings) -> None:
        """`sources`: stored source id name -> kind."""
        configured = {s.name: s for s in settings.sources}
        self._names: dict[str, SourceName] = {}
        for source, kind in sources.items():
            conf = configured.get(source)
            place = None
            if conf is not None:
                place = urlsplit(conf.url).netloc if conf.url else conf.path
            self._names[source] = SourceName(source, kind, conf.title if conf else None, place)
        kinds = Counter(n.kind for n in self._names.values() if not n.title)
        self._ambiguous = {k for k, n in kinds.items() if n > 1}

    def shown(self, source: str, lang: Lang) -> str:
        entry = self._names.get(source)
        if entry is None:
            return source
        label = entry.shown(lang, entry.kind in self._ambiguous)
        if entry.kind in self._ambiguous and not entry.title and not entry.place:
            return f"{label} ({source})"  # nothing else tells them apart
        return label

    def kind(self, source: str) -> str | None:
        entry = self._names.get(source)
        return entry.kind if entry else None
