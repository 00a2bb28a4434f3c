"""From processed variants to what HTML needs: <source> srcsets per format, the fallback <img>."""

from __future__ import annotations

from dataclasses import dataclass

from .process import FALLBACK_WIDTH, Processed, Variant

# Column width of the theme's article body (46rem) on wide screens, the viewport below.
DEFAULT_SIZES = "(min-width: 52rem) 46rem, 100vw"
MIME = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}


@dataclass(frozen=True)
class Responsive:
    width: int
    height: int
    sources: tuple[tuple[str, str], ...]  # (mime type, srcset) for <source>, modern formats first
    fallback_src: str  # for <img src>: the original format, about 960 px wide (process.FALLBACK_WIDTH)
    fallback_srcset: str  # that file alone: browsers that take the fallback get one size

    def srcset(self, base: str) -> tuple[tuple[str, str], ...]:
        return tuple((mime, prefixed(srcset, base)) for mime, srcset in self.sources)


def prefixed(srcset: str, base: str) -> str:
    prefix = base.rstrip("/") + "/"
    return ", ".join(prefix + entry for entry in srcset.split(", "))


def _srcset(variants: list[Variant]) -> str:
    return ", ".join(f"{v.path} {v.width}w" for v in sorted(variants, key=lambda v: v.width))


def responsive(processed: Processed, original_format: str) -> Responsive:
    by_format: dict[str, list[Variant]] = {}
    for variant in processed.variants:
        by_format.setdefault(variant.format, []).append(variant)
    fallback = by_format.get(original_format) or next(iter(by_format.values()))
    modern = [fmt for fmt in by_format if fmt != original_format]
    # With modern formats beside it, the original's format is made at one width (process.formats_at);
    # the full-size original must not join its srcset, or a browser without WebP on a sharp screen
    # would load the camera's 4000 pixels. Alone, the original's format keeps every width.
    candidates = [v for v in fallback if v.path != processed.source] if modern else fallback
    medium = min(candidates or fallback, key=lambda v: abs(v.width - FALLBACK_WIDTH))
    return Responsive(
        processed.width,
        processed.height,
        tuple((MIME.get(fmt, f"image/{fmt}"), _srcset(by_format[fmt])) for fmt in modern),
        medium.path,
        _srcset([medium]) if modern else _srcset(fallback),
    )
