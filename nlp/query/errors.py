"""The one error an invalid brand query raises."""

from __future__ import annotations


class QueryError(Exception):
    """An invalid query: says what was expected and at which column (1-based)."""

    def __init__(self, message: str, column: int, hint: str = "") -> None:
        super().__init__(f"{message} at column {column}" + (f"; {hint}" if hint else ""))
        self.reason = message
        self.column = column
        self.hint = hint
