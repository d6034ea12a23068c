"""The one error an invalid brand query raises, and what it says in French and English.

`QueryError(key, column, hint_key, **fields)`: `reason` and `hint` are the English text (the
command line, the configuration's checks); `said(lang)` is the text in a person's language
(the web workspace's inbox shows the French one to a French team).
"""

from __future__ import annotations

from typing import Any

from storage.vocab import LANGS

# key -> (French, English), in storage.vocab.LANGS's order; {named} fields.
MESSAGES: dict[str, tuple[str, str]] = {
    "dash": (
        "- doit être suivi d'un terme, sans espace",
        "- needs a term right after it, without a space",
    ),
    "unclosed_quote": ("guillemet non fermé", "unclosed quote"),
    "tilde_number": ("~ doit être suivi d'un nombre", "~ needs a number"),
    "tilde_example": ('par exemple "service client"~3', 'e.g. "service client"~3'),
    "near_number": ("{op}/ doit être suivi d'un nombre", "{op}/ needs a number"),
    "unknown_field": ("champ inconnu {name}:", "unknown field {name}:"),
    "known_fields": (
        "les champs connus sont {known} ; mettez le texte entre guillemets pour le chercher "
        "comme des mots",
        "known fields are {known}; quote the text to search it as words",
    ),
    "field_tilde": ("{name}: prend une expression sans ~", "{name}: takes a phrase without ~"),
    "field_value": (
        "{name}: doit être suivi d'une valeur juste après les deux-points",
        "{name}: needs a value right after the colon",
    ),
    "distance": (
        "{op} attend un nombre de mots de 1 à {most}",
        "{op} needs a number of words from 1 to {most}",
    ),
    "nesting": (
        "plus de {most} parenthèses ou NOT imbriqués",
        "more than {most} nested parentheses or NOT",
    ),
    "nesting_hint": (
        "retirez les parenthèses qui ne regroupent rien et les doubles négations",
        "remove parentheses that group nothing, and double negations",
    ),
    "depth": (
        "la requête s'imbrique sur plus de {most} niveaux",
        "the query nests more than {most} levels deep",
    ),
    "depth_hint": (
        "a OR b OR c et a AND b AND c se passent de parenthèses",
        "a OR b OR c and a AND b AND c need no parentheses",
    ),
    "empty": ("requête vide : donnez au moins un terme", "empty query: give at least one term"),
    "unbalanced": ("parenthèse non équilibrée", "unbalanced parenthesis"),
    "right_term": ("{op} doit être suivi d'un terme", "{op} needs a term on its right"),
    "left_term": ("{op} doit être précédé d'un terme", "{op} needs a term on its left"),
    "near_chain": (
        "une chaîne de NEAR/ONEAR relie au plus {most} termes",
        "a chain of NEAR/ONEAR links at most {most} terms",
    ),
    "near_chain_hint": (
        "découpez-la en (a NEAR/n b) AND (c NEAR/n d)",
        "split it into (a NEAR/n b) AND (c NEAR/n d)",
    ),
    "near_sides": (
        "{op} attend des mots ou des expressions des deux côtés",
        "{op} needs words or phrases on both sides",
    ),
    "near_sides_hint": (
        "NOT, AND et les champs se placent à l'extérieur, par exemple NOT (a NEAR/5 b)",
        "NOT, AND and fields go outside it, e.g. NOT (a NEAR/5 b)",
    ),
    "empty_parens": ("parenthèses vides", "empty parentheses"),
    "star": (
        "* n'est permis qu'à la fin d'un mot",
        "* is allowed only at the end of a word",
    ),
    "empty_phrase": ("expression vide", "empty phrase"),
    "short_stem": (
        "un joker demande au moins {least} lettres ou chiffres avant *",
        "a wildcard needs at least {least} letters or digits before *",
    ),
    "no_letters": (
        "{text} ne contient ni lettre ni chiffre à chercher",
        "{text} has no letters or digits to search",
    ),
    "author_value": ("author: attend un nom ou un identifiant", "author: needs a name or handle"),
    "site_value": (
        "site: attend un domaine comme example.org",
        "site: needs a domain such as example.org",
    ),
    "lang_value": (
        "lang: attend un code de langue comme fr ou en",
        "lang: needs a language code such as fr or en",
    ),
    "source_value": ("source: attend l'une de {names}", "source: needs one of {names}"),
}


class QueryError(Exception):
    """An invalid query: says what was expected and at which column (1-based)."""

    def __init__(self, key: str, column: int, hint: str = "", **fields: Any) -> None:
        self.key, self.hint_key, self.fields = key, hint, fields
        self.reason, self.hint = self.said("en")
        self.column = column
        super().__init__(
            f"{self.reason} at column {column}" + (f"; {self.hint}" if self.hint else "")
        )

    def said(self, lang: str) -> tuple[str, str]:
        """The reason and the hint ("" when none) in `lang` (fr, en)."""
        at = LANGS.index(lang) if lang in LANGS else LANGS.index("en")  # type: ignore[arg-type]
        reason = MESSAGES[self.key][at].format(**self.fields)
        hint = MESSAGES[self.hint_key][at].format(**self.fields) if self.hint_key else ""
        return reason, hint
