"""Pseudonyms: authors shown as stable keyed hashes in exports and reports.

The same handle always gets the same pseudonym under the same key (HMAC-SHA256 of the folded
handle), so analysts can still count and follow an author without seeing who it is; without
the key nobody can tell which handle a pseudonym stands for by trying handles. Accounts on
the allow list (the brands' own accounts, `privacy.allow`) keep their handles; in texts, a
handle off the list becomes `@user`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Any

from config.settings import Settings
from storage.privacy import HANDLE_IN_TEXT, USER

PREFIX = "p_"


class PseudonymError(Exception):
    """Pseudonyms asked for without a key, worded for a person (exit code 2)."""

    exit_code = 2


class Pseudonymiser:
    def __init__(self, key: str, allow: Iterable[str] = ()) -> None:
        if not key:
            raise PseudonymError("the pseudonym key is empty")
        self._key = key.encode("utf-8")
        self.allow = {a.strip().lstrip("@").casefold() for a in allow if a.strip()}
        self._cache: dict[str, str] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> Pseudonymiser:
        secret = settings.privacy.pseudonym_key
        if secret is None or not secret.get_secret_value():
            raise PseudonymError(
                "Pseudonymised output needs a key: set the environment variable "
                "VEILLE_PRIVACY__PSEUDONYM_KEY to a long random secret (keep it: the same key "
                "gives the same pseudonyms), or leave pseudonymisation off."
            )
        own = [h for b in settings.brands for h in b.own_accounts]
        return cls(secret.get_secret_value(), [*own, *settings.privacy.allow])

    def allowed(self, handle: str | None) -> bool:
        return handle is not None and handle.lstrip("@").casefold() in self.allow

    def handle(self, handle: str | None) -> str | None:
        """The handle's pseudonym (the handle itself when allowed)."""
        if handle is None or self.allowed(handle):
            return handle
        folded = handle.lstrip("@").casefold()
        if folded not in self._cache:
            digest = hmac.new(self._key, folded.encode("utf-8"), hashlib.sha256).hexdigest()
            self._cache[folded] = PREFIX + digest[:12]
        return self._cache[folded]

    def text(self, text: Any) -> Any:
        """`@handle` off the allow list becomes `@user`."""
        if not isinstance(text, str) or "@" not in text:
            return text
        return HANDLE_IN_TEXT.sub(
            lambda m: m.group(0) if self.allowed(m.group(1)) else f"@{USER}", text
        )

    def url(self, url: Any, handle: str | None) -> Any:
        """A link with the author's handle in it (x.com/HANDLE/status/1) gets the pseudonym."""
        if not isinstance(url, str) or not handle or self.allowed(handle):
            return url
        pattern = re.compile(rf"(?<![\w.\-]){re.escape(handle.lstrip('@'))}(?![\w\-])", re.I)
        return pattern.sub(str(self.handle(handle)), url)

    def mention_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """An export row (storage.queries.iter_mentions) with its author pseudonymised."""
        handle = row.get("author")
        out = dict(row)
        if not self.allowed(handle):
            out["author"] = self.handle(handle)
            out["author_name"] = self.handle(handle) if row.get("author_name") else None
        for key in ("url", "thread_url"):
            out[key] = self.url(row.get(key), handle)
        for key in ("text", "title", "thread_title"):
            out[key] = self.text(row.get(key))
        out["flags"] = [{**f, "reason": self.text(f.get("reason"))} for f in row.get("flags") or []]
        return out
