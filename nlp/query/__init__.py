"""The boolean brand query language: `compile_query(text).matches(MatchDoc(...))`.

Syntax and matching rules are documented in docs/queries.md.
"""

from nlp.query.document import MatchDoc, PreparedDoc, prepare
from nlp.query.errors import QueryError
from nlp.query.index import QueryIndex
from nlp.query.query import Explanation, Query, all_of, compile_keywords, compile_query
from nlp.query.validate import validate_brand_queries

__all__ = [
    "Explanation",
    "MatchDoc",
    "PreparedDoc",
    "Query",
    "QueryError",
    "QueryIndex",
    "all_of",
    "compile_keywords",
    "compile_query",
    "prepare",
    "validate_brand_queries",
]
