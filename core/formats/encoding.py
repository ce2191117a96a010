"""Encodings: what a file's bytes are, decided once at import.

UTF-8 with or without BOM, UTF-16/32 (with a BOM, or detected from the NUL pattern),
a declared charset that is a real text encoding, and cp1252 or latin-1 for the
legacy Western files news archives are full of, with charset-normalizer for the
rest. Binary data is refused (``BadContent``), not decoded into garbage. Large
files are streamed line by line after deciding on the first 64 KB.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from core.formats.bad_content import BadContent as _BadContent

# Bytes read to decide the encoding of a file that is streamed line by line.
SNIFF_BYTES = 64 * 1024




def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a file's bytes, detecting the encoding; raises _BadContent for non-text.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32); binary signatures and
    control-byte density (a PNG renamed .txt must not become an article);
    strict UTF-8, which nearly all files are; UTF-8 with a few stray Windows
    bytes; an HTML page's declared charset; Windows-1252 when the result reads
    like Western text; then charset-normalizer. charset-normalizer alone guesses
    badly on short Western texts (curly quotes come out as cp852 or cp1250), so
    it only decides what the simple rules cannot.
    """
    return _decode(data, _detect(data, declared))


def _decode(data: bytes, encoding: str) -> str:
    """Decode with a detected encoding; bytes it cannot read never abort an import."""
    return data.decode(encoding, errors=_decode_errors(encoding))


def _decode_errors(encoding: str) -> str:
    """Bytes that are not UTF-8 are most likely Windows-1252; for other codecs, U+FFFD."""
    return _CP1252_FALLBACK if encoding in ("utf-8", "utf-8-sig", "cp1252") else "replace"


def _detect(data: bytes, declared: str | None = None, complete: bool = True) -> str:
    """The codec to decode ``data`` with; ``complete=False`` when it is only a file's start."""
    if not data.strip():
        raise _BadContent("empty")
    bom = _bom_encoding(data)
    if bom:
        _check_decodes(data, bom, complete)
        return bom
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise _BadContent(f"not a text file (looks like a {kind})")
    if b"\x00" in data[:SNIFF_BYTES]:
        utf16 = _bomless_utf16(data, complete)
        if utf16:
            _check_decodes(data, utf16, complete)
            return utf16
    sample = data[:SNIFF_BYTES]
    if len(sample.translate(None, _NOT_CONTROL)) > 2 + len(sample) // 100:
        raise _BadContent("not a text file (it contains binary data)")
    return _detect_8bit(data, declared, complete)


def _detect_8bit(data: bytes, declared: str | None, complete: bool) -> str:
    if _decodes(data, "utf-8", complete) or _mostly_utf8(data):
        return "utf-8"
    declared_codec = _usable_declared(data, declared, complete)
    if declared_codec:
        return declared_codec
    western = _western(data)
    if western:
        return western
    return _charset_normalizer_guess(data) or _single_byte_fallback(data)


def _decodes(data: bytes, encoding: str, complete: bool = True) -> bool:
    """Whether ``data`` is valid in ``encoding``; a cut-off last character is fine if incomplete."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=complete)
    except UnicodeError:  # UnicodeDecodeError, or the plain UnicodeError idna/punycode raise
        return False
    return True


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:  # UTF-32 LE before UTF-16 LE: its BOM starts the same way
        if data.startswith(bom):
            return encoding
    return None


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")


def _check_decodes(data: bytes, encoding: str, complete: bool) -> None:
    """A UTF-16/32 file must decode and must not be mostly control characters once decoded."""
    if not _decodes(data, encoding, complete):
        raise _BadContent(f"not a text file (invalid {encoding.upper()})")
    sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data[:SNIFF_BYTES])
    if len(_CONTROL_CHARS.findall(sample)) > 2 + len(sample) // 100:
        raise _BadContent("not a text file (it contains binary data)")
    if not sample.strip() and len(data) <= SNIFF_BYTES and not data.decode(encoding).strip():
        raise _BadContent("empty")


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive, DOCX or XLSX"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"), (b"GIF89a", "GIF image"), (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office document"), (b"{\\rtf", "RTF document"),
    (b"SQLite format 3\x00", "SQLite database"), (b"\x7fELF", "program"),
)
# Control bytes that do not occur in text files (tab, newline, CR, form feed and
# the DOS end-of-file mark do). A stray NUL is tolerated (normalise_text drops it).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26))
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def _bomless_utf16(data: bytes, complete: bool) -> str | None:
    """UTF-16 without a byte-order mark: ASCII-range text has a NUL in every other byte."""
    sample = data[:SNIFF_BYTES]
    if len(sample) < 4 or (complete and len(data) % 2):
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True for UTF-8 with a few stray single-byte characters (pasted Windows quotes).

    Those bytes are decoded as Windows-1252 instead of turning every other
    non-ASCII character of the file into mojibake. Real cp1252 text almost
    never contains valid multi-byte UTF-8 sequences, so their count decides.
    """
    valid = data.decode("utf-8", errors="ignore")
    multibyte = len(valid) - len(valid.encode("ascii", errors="ignore"))
    invalid = len(data) - len(valid.encode("utf-8"))
    return multibyte > 0 and multibyte >= invalid


def _usable_declared(data: bytes, declared: str | None, complete: bool) -> str | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        name = "cp1252"  # what browsers do: pages labelled ISO-8859-1 are Windows-1252
    if name.startswith(("utf-16", "utf-32")) or not _reads_ascii(name):
        return None
    if not _decodes(data, name, complete):
        return None
    return name


def _reads_ascii(encoding: str) -> bool:
    """Whether ``encoding`` turns bytes into text and reads ASCII as ASCII.

    A page can declare any codec name Python knows, including ones that are not
    text encodings at all ("hex", "zlib", "rot13", "undefined"); decoding with
    those raises errors no importer expects. The declaration was found by an
    ASCII pattern, so an encoding that reads ASCII differently (EBCDIC) is wrong too.
    """
    try:
        return _ASCII_PROBE.decode(encoding) == _ASCII_PROBE.decode("ascii")
    except (LookupError, UnicodeError, ValueError):
        return False


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_IN_WORD_OK = frozenset("\u2018\u2019\u2010\u2011\u2013\u2026\u00ad\u00b7")


def _symbol_inside_word(text: str) -> bool:
    """True if a non-ASCII non-letter (not an apostrophe or hyphen) sits between two letters."""
    for match in _NON_ASCII.finditer(text):
        pos = match.start()
        char = text[pos]
        if (0 < pos < len(text) - 1 and not char.isalpha() and char not in _IN_WORD_OK
                and text[pos - 1].isalpha() and text[pos + 1].isalpha()):
            return True
    return False


_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


def _western(data: bytes) -> str | None:
    """"cp1252" when the bytes read as Western European text in Windows-1252, else None.

    In English, French or German text most letters are ASCII and accented
    letters sit inside words; Cyrillic or Greek read as cp1252 is all accented
    letters, and Central European cp1250 puts symbols ("³", "¹") inside words.
    """
    try:
        text = data[:SNIFF_BYTES].decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = len(_LETTER.findall(text))
    accented = len(_NON_ASCII_LETTER.findall(text))
    if letters and accented / letters > 0.3:
        return None
    if _symbol_inside_word(text):
        return None
    return "cp1252"


_ASCII_PROBE = b"The quick brown fox, 2024: 'Lithium' (Li) & cobalt.\n"
# Below this many non-ASCII bytes charset-normalizer has too little to go on
# ("\xe9t\xe9" came out as EBCDIC); Windows-1252 is the likelier answer.
MIN_BYTES_TO_GUESS = 4
_HIGH_BYTES = bytes(range(128, 256))


def _charset_normalizer_guess(data: bytes) -> str | None:
    """charset-normalizer's guess, if it had enough to go on and is ASCII-compatible."""
    sample = data[:SNIFF_BYTES]
    non_ascii = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if non_ascii < MIN_BYTES_TO_GUESS:
        return None
    from charset_normalizer import from_bytes  # imported late: it is slow to import

    best = from_bytes(data).best()
    if best is None:
        return None
    try:
        ascii_compatible = _ASCII_PROBE.decode(best.encoding) == _ASCII_PROBE.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return None
    return best.encoding if ascii_compatible else None


def _single_byte_fallback(data: bytes) -> str:
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"  # decodes anything; the five bytes cp1252 lacks are C1 controls


def _cp1252_or_latin1(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_CP1252_TABLE = [_cp1252_or_latin1(b) for b in range(256)]
_CP1252_FALLBACK = "assay.cp1252-fallback"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode bytes that are not UTF-8 as Windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(_CP1252_TABLE[b] for b in bad), exc.end


codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


# ---------------------------------------------------------------- streaming lines


def _text_lines(path: Path, keep_ends: bool = False,
                universal: bool = False) -> Iterator[tuple[int, str]]:
    """Numbered decoded lines of a file too large to read at once (JSONL, CSV).

    The encoding is decided on the first 64 KB. Lines are split on b"\\n" and
    decoded one by one (safe for UTF-8 and the legacy multi-byte codecs, whose
    trail bytes are never 0x0A), so one line with stray Windows bytes in a
    UTF-8 file is still read correctly. UTF-16/32 files, and CSV files
    (``universal``: the csv module wants "\\r", "\\n" and "\\r\\n" all
    kept, as with ``newline=""``), are read through a text stream instead.
    """
    with path.open("rb") as fh:
        sample = fh.read(SNIFF_BYTES)
        encoding = _detect(sample, complete=len(sample) < SNIFF_BYTES)
        fh.seek(0)
        if universal or encoding.startswith(("utf-16", "utf-32")):
            stream = io.TextIOWrapper(fh, encoding=encoding, errors=_decode_errors(encoding),
                                      newline="")
            try:
                yield from _numbered(stream, keep_ends)
            finally:
                stream.detach()  # fh is closed by its own with-block
        else:
            codec = "utf-8" if encoding == "utf-8-sig" else encoding
            yield from _numbered((_decode(raw, codec) for raw in fh), keep_ends)


def _numbered(lines: Iterable[str], keep_ends: bool) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, 1):
        if number == 1:
            line = line.lstrip("\ufeff")  # the BOM, or a second one some tools add
        yield number, line if keep_ends else line.rstrip("\r\n")
