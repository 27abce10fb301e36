"""Encoding of an extract: strict UTF-8 (with or without BOM), else strict Windows-1252.

Only whole-buffer operations (``bytes.isascii``, chunked ``decode``): no per-row work.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from cscperf.loading.errors import LoadError

BOM = codecs.BOM_UTF8
_CHUNK = 16 * 1024 * 1024

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
CP1252 = "windows-1252"


@dataclass(frozen=True)
class Decoded:
    """An extract's bytes as UTF-8, and what they were read as."""

    encoding: str  # UTF8, UTF8_BOM or CP1252
    data: bytes  # UTF-8 bytes (a UTF-8 BOM, if any, is kept: DuckDB skips it)
    transcoded: bool  # True when ``data`` differs from the file (it must be re-written)


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is strict UTF-8 (decoded in chunks; the text is discarded)."""
    if data.isascii():
        return True
    view = memoryview(data)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        for offset in range(0, len(view), _CHUNK):
            chunk = view[offset : offset + _CHUNK]
            decoder.decode(chunk, final=offset + _CHUNK >= len(view))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def line_of(data: bytes, position: int) -> int:
    """The physical line (1-based) holding byte ``position``."""
    return data.count(b"\n", 0, position) + 1


def decode(data: bytes, file_name: str) -> Decoded:
    """Classify ``data`` as UTF-8 or Windows-1252; Windows-1252 is transcoded to UTF-8.

    Raises LoadError naming the file and line of the first byte valid in neither.
    """
    has_bom = data.startswith(BOM)
    body = data[len(BOM) :] if has_bom else data  # a copy, so that isascii() applies
    if is_utf8(body):
        return Decoded(UTF8_BOM if has_bom else UTF8, data, transcoded=False)
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError as exc:
        position = exc.start + (len(BOM) if has_bom else 0)
        byte = data[position]
        raise LoadError(
            f"{file_name}: line {line_of(data, position)}: byte 0x{byte:02X} is valid in "
            "neither UTF-8 nor Windows-1252"
        ) from None
    return Decoded(CP1252, text.encode("utf-8"), transcoded=True)
