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
from storage.tombstones import HANDLE_IN_TEXT, USER

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


def _posts(frame: Any, p: Pseudonymiser, handles: dict[int, str]) -> Any:
    """A frame of posts (storage.reporting.POST_COLUMNS) with pseudonymised authors."""
    if frame is None or frame.empty:
        return frame
    out = frame.copy()
    for i, row in out.iterrows():
        aid = row.get("author_id")
        handle = handles.get(int(aid)) if aid == aid and aid is not None else None
        if handle is not None and not p.allowed(handle):
            out.at[i, "author"] = p.handle(handle)
            for key in ("url", "thread_url"):
                if key in out.columns:
                    out.at[i, key] = p.url(row.get(key), handle)
        for key in ("title", "text"):
            if key in out.columns:
                out.at[i, key] = p.text(row.get(key))
    return out


def _names(frame: Any, p: Pseudonymiser) -> Any:
    """A frame of authors (handle, name, profile_url) with pseudonyms off the allow list."""
    if frame is None or frame.empty or "handle" not in frame.columns:
        return frame
    out = frame.copy().astype({"handle": object, "name": object, "profile_url": object})
    for i, row in out.iterrows():
        handle = row.get("handle")
        if isinstance(handle, str) and not p.allowed(handle):
            out.at[i, "handle"] = p.handle(handle)
            out.at[i, "name"] = None
            out.at[i, "profile_url"] = None
    return out


def _alert_details(details: Any, p: Pseudonymiser) -> Any:
    if not isinstance(details, dict):
        return details
    out = {}
    for key, snap in details.items():
        if isinstance(snap, dict) and snap.get("influencers"):
            snap = {
                **snap,
                "influencers": [
                    {
                        **inf,
                        "author": p.handle(inf.get("author")),
                        "url": p.url(inf.get("url"), inf.get("author")),
                    }
                    for inf in snap["influencers"]
                ],
            }
        out[key] = snap
    return out


def author_ids_shown(content: Any) -> list[int]:
    """The authors of the posts a report shows (their handles are read for the pseudonyms)."""
    ids: set[int] = set()
    for name in ("engaging", "own_posts", "needing_answer", "driver_posts"):
        frame = getattr(content, name)
        if frame is not None and "author_id" in frame.columns:
            ids.update(int(a) for a in frame["author_id"].dropna())
    return sorted(ids)


def pseudonymise_report(content: Any, p: Pseudonymiser, handles: dict[int, str]) -> None:
    """Replace, in a built report (reports.build.ReportContent), the authors of the posts
    shown, the influencers, the handles among the drivers and in alert snapshots; `@handle`
    in texts becomes `@user`. Figures are unchanged: they never depended on who wrote."""
    for name in ("engaging", "own_posts", "needing_answer", "driver_posts"):
        setattr(content, name, _posts(getattr(content, name), p, handles))
    content.influencers.ranked = _names(content.influencers.ranked, p)
    content.influencers.own = _names(content.influencers.own, p)
    for d in content.drivers.all():
        if d.kind == "handle" and not p.allowed(d.label):
            d.label = f"@{p.handle(d.label)}"
            d.key = d.label.casefold()
        elif d.kind == "cluster":
            d.label = p.text(d.label)
    alerts = content.alerts
    if alerts is not None and not alerts.empty and "details" in alerts.columns:
        alerts = alerts.copy()
        alerts["details"] = [_alert_details(d, p) for d in alerts["details"]]
        content.alerts = alerts
