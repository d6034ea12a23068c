"""JSON lines read with orjson, and what orjson refuses read as the standard parser would."""

from __future__ import annotations

import io

from crawlers.readers.base import iter_json_lines


def test_lines_orjson_refuses_are_read_as_text() -> None:
    data = (
        b'\xef\xbb\xbf{"id": "1"}\r\n'  # a BOM, Windows line ends
        b"\n   \n"  # blank lines are skipped
        b'{"id": "2", "text": "caf\xe9"}\n'  # latin-1 byte: replaced, the record kept
        b'{"id": "3", "big": 123456789012345678901234567890, "x": NaN}\n'
        b'{"id": "4", "text": "\\ud800"}\n'  # a lone surrogate escape
        b'{"id": "5", "cut\n'
    )
    out = list(iter_json_lines(io.BytesIO(data), "f.jsonl"))
    assert [(line, error is None) for line, _, error in out] == [
        (1, True), (4, True), (5, True), (6, True), (7, False),
    ]  # fmt: skip
    values = [value for _, value, _ in out]
    assert values[0] == {"id": "1"}
    assert values[1]["text"] == "caf\ufffd"
    assert values[2]["big"] == 123456789012345678901234567890
    assert values[3]["text"] == "\ud800"
    assert "not valid JSON" in (out[4][2] or "") and values[4].startswith('{"id": "5"')
