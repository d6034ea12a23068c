"""Every word of the web workspace in French and English: key -> {"fr": …, "en": …}.

One module per part of the workspace (`common`: the frame, shared filters and errors;
`triage`: inbox, mention, review; `alerts`; `monitoring`: dashboard, events, reports,
sources; `contributors`: the contributors pages; `admin`: sign-in, accounts, audit), each a
`WORDS` dict of key -> (French, English), merged here. A text may hold simple markup of our
own (<kbd>, <strong>, <code>); its `{named}` fields are escaped when filled in (web.i18n). The
names of the vocabulary (sentiments, topics, profiles, kinds…) are the reports'
(storage.vocab.NAMES), never repeated here.
"""

from __future__ import annotations

from web.words import admin, alerts, common, contributors, monitoring, triage

_PARTS = {
    "common": common.WORDS,
    "triage": triage.WORDS,
    "alerts": alerts.WORDS,
    "monitoring": monitoring.WORDS,
    "contributors": contributors.WORDS,
    "admin": admin.WORDS,
}


def _merged() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for part, words in _PARTS.items():
        for key, (fr, en) in words.items():
            if key in out:
                raise ValueError(f"web/words/{part}.py: the key {key!r} is defined twice")
            out[key] = {"fr": fr, "en": en}
    return out


WORDS: dict[str, dict[str, str]] = _merged()
