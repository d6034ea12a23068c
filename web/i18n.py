"""The workspace in one person's language: its words (web/words/), the vocabulary's names and
the reports' phrases (reports.i18n), numbers, percentages and delays per locale (Babel).

`Words.html(key, **fields)` is what templates call as `t(…)` and handlers as `ctx.t(…)`: the
text is ours (it may hold simple markup), every field is escaped (collected text is hostile).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from reports.i18n import Translator
from reports.messages import MESSAGES
from storage.vocab import LANGS
from web.words import WORDS

__all__ = ["LANGS", "Words"]


@dataclass(frozen=True)
class Words(Translator):
    """The workspace's words in `lang`, times in `tz` (the team's: schedules.timezone)."""

    def html(self, key: str, **fields: Any) -> Markup:
        """The text of `key` (web/words/, else reports/messages.py) with its fields escaped."""
        entry = WORDS.get(key)
        if entry is not None:
            text = Markup(entry[self.lang])  # ours, from web/words/
        elif key in MESSAGES:
            text = escape(MESSAGES[key][self.lang])
        else:
            raise KeyError(f"no word {key!r} in web/words/ (nor in reports/messages.py)")
        if not fields:
            return text
        # Markup.format's result, three times sooner: each field escaped (a number as it is,
        # for its format spec), then the text filled in.
        safe = {k: v if isinstance(v, int | float) else escape(v) for k, v in fields.items()}
        return Markup(str.format(text, **safe))

    def text(self, key: str, **fields: Any) -> str:
        """The same as plain text (an audit detail, a file name, a chart's title: escaped
        where it is drawn)."""
        return Markup(self.html(key, **fields)).striptags()
