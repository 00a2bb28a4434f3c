"""Remove metadata from an animated GIF, PNG or WebP without decoding it: every frame stays as it was.

Re-encoding an animation would decode and compress every frame again: slow, and a GIF
would be quantised anew. These files are chains of blocks instead, each with its
length (hub_core.imagefile walks them), and metadata sits in blocks of its own.
We copy the blocks the picture needs and drop the rest, the same approach as
jpegstrip.py for JPEG:

- GIF: the screen, the images, graphic control and plain-text extensions, and the
  application extensions for the loop count and the colour profile; comments and
  every other application extension (XMP among them) go.
- PNG: the chunks of the picture, the animation and its colours; text (tEXt, zTXt,
  iTXt, XMP), EXIF (eXIf), the time stamp and unknown chunks go.
- WebP: the picture, animation, alpha and colour-profile chunks; EXIF, XMP and unknown
  chunks go, and the header's flags and size are corrected.
"""

from __future__ import annotations

import io

from hub_core.imagefile import gif_blocks, png_chunks, webp_chunks

# Application extensions by identifier: the loop count (two spellings) and the ICC profile.
GIF_APPLICATIONS = {b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"}
GIF_KEEP = {"screen", "image", "trailer", "extension f9", "extension 01"}  # f9: timing, 01: plain text
PNG_KEEP = {
    *("signature", "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "acTL", "fcTL", "fdAT"),  # picture, animation
    *("iCCP", "sRGB", "gAMA", "cHRM", "sBIT", "cICP", "mDCV", "mDCv", "cLLI", "cLLi", "bKGD", "pHYs"),  # colour
}
WEBP_KEEP = {"RIFF", "VP8X", "ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L"}
_VP8X_EXIF_AND_XMP = 0x08 | 0x04


def strip_animation(data: bytes, fmt: str) -> bytes:
    """The same file without metadata blocks; raises hub_core.imagefile.DamagedFile if it cannot be walked."""
    if fmt == "gif":
        return _strip_gif(data)
    if fmt == "png":
        return b"".join(data[b.start : b.end] for b in png_chunks(io.BytesIO(data), len(data)) if b.kind in PNG_KEEP)
    if fmt == "webp":
        return _strip_webp(data)
    raise ValueError(f"{fmt}: not a format with blocks to strip")


def _strip_gif(data: bytes) -> bytes:
    out = bytearray()
    blocks = list(gif_blocks(io.BytesIO(data), len(data)))
    for block in blocks:
        keep = block.kind in GIF_KEEP
        if block.kind == "extension ff":
            # The identifier and authentication code fill the first sub-block, of length 11.
            keep = data[block.start + 2] == 11 and data[block.start + 3 : block.start + 14] in GIF_APPLICATIONS
        if keep:
            out += data[block.start : block.end]
    if blocks[-1].kind != "trailer":
        out += b"\x3b"  # a trailer for files that lacked one
    return bytes(out)


def _strip_webp(data: bytes) -> bytes:
    out = bytearray()
    for block in webp_chunks(io.BytesIO(data), len(data)):
        if block.kind not in WEBP_KEEP:
            continue
        chunk = bytearray(data[block.start : block.end])
        if block.kind == "VP8X":
            chunk[8] &= ~_VP8X_EXIF_AND_XMP & 0xFF  # the flags must not promise chunks that are gone
        out += chunk
    out[4:8] = (len(out) - 8).to_bytes(4, "little")
    return bytes(out)
