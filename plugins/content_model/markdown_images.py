"""Markdown extension for body images: width and height (no layout shift), lazy loading, and,
where the image pipeline made variants, a <picture> with WebP and a srcset.

The pipeline is optional: `picture_of` maps a content-relative path to an object with
`width`, `height`, `sources` [(mime, srcset)], `fallback_src`, `fallback_srcset` and
`srcset(base)`; without it images keep their plain <img>.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .fields import resolve_content_path
from .model import ContentItem

SizeOf = Callable[[Path], "tuple[int, int] | None"]
PictureOf = Callable[[str], Any]
BODY_SIZES = "(min-width: 52rem) 46rem, 100vw"


class ImageSizeTreeprocessor(Treeprocessor):
    def __init__(
        self,
        md: Markdown,
        item: ContentItem,
        content_root: Path,
        size_of: SizeOf,
        picture_of: PictureOf | None = None,
        base: str = "",
    ) -> None:
        super().__init__(md)
        self.item = item
        self.content_root = content_root
        self.size_of = size_of
        self.picture_of = picture_of
        self.base = base.rstrip("/")

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, image in enumerate(list(parent)):
                if image.tag == "img":
                    replacement = self.improve(image)
                    if replacement is not None:
                        parent.remove(image)
                        parent.insert(index, replacement)

    def improve(self, image: etree.Element) -> etree.Element | None:
        """Size and lazy-load `image`; return a <picture> to put in its place where there are variants."""
        src = image.get("src", "")
        if "://" in src or src.startswith(("//", "data:")):
            return None
        relative = resolve_content_path(src, self.item, self.content_root)
        image.set("loading", "lazy")
        image.set("decoding", "async")
        views = self.picture_of(relative) if self.picture_of else None
        if views is None:
            size = self.size_of(self.content_root / relative)
            if size and not image.get("width"):
                image.set("width", str(size[0]))
                image.set("height", str(size[1]))
            return None
        picture = etree.Element("picture")
        for mime, srcset in views.srcset(self.base or "."):
            etree.SubElement(picture, "source", {"type": mime, "srcset": srcset, "sizes": BODY_SIZES})
        image.set("src", f"{self.base or '.'}/{views.fallback_src}")
        image.set("srcset", ", ".join(f"{self.base or '.'}/{entry}" for entry in views.fallback_srcset.split(", ")))
        image.set("sizes", BODY_SIZES)
        image.set("width", str(views.width))
        image.set("height", str(views.height))
        picture.append(image)
        return picture


class ImageSizeExtension(Extension):
    def __init__(
        self,
        item: ContentItem,
        content_root: Path,
        size_of: SizeOf,
        picture_of: PictureOf | None = None,
        base: str = "",
    ) -> None:
        super().__init__()
        self.item = item
        self.content_root = content_root
        self.size_of = size_of
        self.picture_of = picture_of
        self.base = base

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(
            ImageSizeTreeprocessor(md, self.item, self.content_root, self.size_of, self.picture_of, self.base),
            "hub_image_size",
            1,
        )
