"""Markdown extension: width and height on local images, so pages do not jump while loading."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .fields import resolve_content_path
from .model import ContentItem

SizeOf = Callable[[Path], "tuple[int, int] | None"]


class ImageSizeTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, item: ContentItem, content_root: Path, size_of: SizeOf) -> None:
        super().__init__(md)
        self.item = item
        self.content_root = content_root
        self.size_of = size_of

    def run(self, root: etree.Element) -> None:
        for image in root.iter("img"):
            src = image.get("src", "")
            if "://" in src or src.startswith(("//", "data:")):
                continue
            size = self.size_of(self.content_root / resolve_content_path(src, self.item, self.content_root))
            if size and not image.get("width"):
                image.set("width", str(size[0]))
                image.set("height", str(size[1]))
            image.set("loading", "lazy")
            image.set("decoding", "async")


class ImageSizeExtension(Extension):
    def __init__(self, item: ContentItem, content_root: Path, size_of: SizeOf) -> None:
        super().__init__()
        self.item = item
        self.content_root = content_root
        self.size_of = size_of

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(
            ImageSizeTreeprocessor(md, self.item, self.content_root, self.size_of), "hub_image_size", 1
        )
