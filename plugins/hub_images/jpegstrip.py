"""Remove metadata from a JPEG without decoding it: no quality lost, no time spent encoding.

A JPEG is a chain of marker segments before the compressed picture. Metadata
lives in its own segments: APP1 (EXIF with GPS, XMP), APP13 (IPTC), COM
(comments) and other APPn. We copy every segment the picture needs (tables,
frame and scan headers, APP0 JFIF, APP2 ICC profile, APP14 Adobe colour
transform) and drop the rest; everything after the picture's end marker (the
second image of a camera MPO file, with its own EXIF) is dropped too.
"""

from __future__ import annotations

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
KEEP_APP = {0xE0, 0xE2, 0xEE}  # JFIF, ICC profile, Adobe (CMYK/YCCK transform)
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0-7: markers without a length


def strip_jpeg(data: bytes) -> bytes | None:
    """The same JPEG without metadata, or None if it is not laid out as expected (then re-encode)."""
    if data[:2] != b"\xff\xd8":
        return None
    out = bytearray(b"\xff\xd8")
    position = 2
    size = len(data)
    while position + 2 <= size:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == EOI:
            out += b"\xff\xd9"
            return bytes(out)
        if marker in STANDALONE:
            out += data[position : position + 2]
            position += 2
            continue
        if position + 4 > size:
            return None
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > size:
            return None
        keep = not (0xE0 <= marker <= 0xEF and marker not in KEEP_APP) and marker != 0xFE
        if keep:
            out += data[position:end]
        position = end
        if marker == SOS:
            scan_end = _scan_end(data, position)
            if scan_end is None:
                return None
            out += data[position:scan_end]
            position = scan_end
    return None


def _scan_end(data: bytes, position: int) -> int | None:
    """Where the compressed data of a scan ends: at the next marker that is not stuffing or a restart."""
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            return None
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position = found + 1 if following == 0xFF else found + 2
            continue
        return found
