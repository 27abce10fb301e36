"""Encoding of an extract: strict UTF-8 (with or without BOM), else strict Windows-1252.

Streamed in fixed-size chunks, never the whole file in memory: UTF-8 is checked
with an incremental decoder (an all-ASCII chunk is skipped), Windows-1252 is
transcoded chunk by chunk (a single-byte code: no state across chunks) into a
UTF-8 copy. The same pass counts lines, so the loader never reads the file
again when every record is one line.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from cscperf.loading.errors import LoadError
from cscperf.loading.files import open_extract

BOM = codecs.BOM_UTF8
_CHUNK = 16 * 1024 * 1024  # UTF-8 is decoded in slices of this size (the text is discarded)
READ_CHUNK = 64 * 1024 * 1024  # bytes read from the file at a time

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
CP1252 = "windows-1252"

_BLANK = b" \t\r\n"


@dataclass(frozen=True)
class Source:
    """The UTF-8 file DuckDB reads for an extract, and what the extract was read as."""

    encoding: str  # UTF8, UTF8_BOM or CP1252
    path: Path  # the extract itself, or its UTF-8 copy (a UTF-8 BOM, if any, is kept)
    transcoded: bool  # True when ``path`` is a transcoded copy
    last_line: int  # the line of the last byte that is not a space or line break (1 if none)


class _Lines:
    """Counts line feeds over consecutive chunks, and the line of the last content byte."""

    def __init__(self) -> None:
        self.before = 0  # line feeds before the current chunk
        self.last_line = 1

    def add(self, chunk: bytes) -> None:
        content = len(chunk.rstrip(_BLANK))
        if content:
            head = chunk.count(b"\n", 0, content)
            self.last_line = self.before + head + 1
            self.before += head + chunk.count(b"\n", content)
        else:
            self.before += chunk.count(b"\n")


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is strict UTF-8 (decoded in chunks; the text is discarded)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        _feed(decoder, data)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _feed(decoder: codecs.IncrementalDecoder, data: bytes) -> None:
    """Decode ``data``, discarding the text; skip an all-ASCII chunk with nothing pending."""
    if data.isascii() and not decoder.getstate()[0]:
        return
    view = memoryview(data)
    for offset in range(0, len(view), _CHUNK):
        decoder.decode(view[offset : offset + _CHUNK])


def line_of(data: bytes, position: int) -> int:
    """The physical line (1-based) holding byte ``position``."""
    return data.count(b"\n", 0, position) + 1


def _utf8_lines(path: Path, file_name: str) -> tuple[bool, _Lines]:
    """(whether the file is strict UTF-8, its line counts), in one streamed pass."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    lines = _Lines()
    first = True
    with open_extract(path, file_name) as fh:
        while chunk := fh.read(max(READ_CHUNK, len(BOM)) if first else READ_CHUNK):
            lines.add(chunk)
            body = chunk[len(BOM) :] if first and chunk.startswith(BOM) else chunk
            first = False
            try:
                _feed(decoder, body)
            except UnicodeDecodeError:
                return False, lines
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, lines
    return True, lines


def settle(path: Path, file_name: str, tmp: Path) -> Source:
    """Classify the extract at ``path`` as UTF-8 or Windows-1252, streaming.

    Windows-1252 is transcoded to ``tmp/file_name`` (a BOM is dropped). Raises
    LoadError naming the file and line of the first byte valid in neither.
    """
    utf8, lines = _utf8_lines(path, file_name)
    if utf8:
        with path.open("rb") as fh:
            has_bom = fh.read(len(BOM)) == BOM
        return Source(UTF8_BOM if has_bom else UTF8, path, False, lines.last_line)
    target = tmp / file_name
    lines = _Lines()
    first = True
    with open_extract(path, file_name) as fh, target.open("wb") as out:
        while chunk := fh.read(max(READ_CHUNK, len(BOM)) if first else READ_CHUNK):
            if first and chunk.startswith(BOM):
                chunk = chunk[len(BOM) :]
            first = False
            try:
                text = chunk.decode("cp1252")
            except UnicodeDecodeError as exc:
                line = lines.before + line_of(chunk, exc.start)
                raise LoadError(
                    f"{file_name}: line {line}: byte 0x{chunk[exc.start]:02X} is valid in "
                    "neither UTF-8 nor Windows-1252"
                ) from None
            lines.add(chunk)  # line feeds and blanks are the same bytes in both encodings
            out.write(text.encode("utf-8"))
            del text
    return Source(CP1252, target, True, lines.last_line)
