"""Markdown extension for body images: width and height (no layout shift), lazy loading, and,
where the image pipeline made variants, a <picture> with WebP and a srcset.

The pipeline is optional: `picture_of` maps a content-relative path to an object with
`width`, `height`, `sources` [(mime, srcset)], `fallback_src`, `fallback_srcset` and
`srcset(base)`; without it images keep their plain <img>.

One extension serves many documents: the reader points it at each document's
`DocumentImages` before converting, so one Markdown instance can be reused.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .fields import resolve_content_path
from .model import ContentItem

# Both lookups take a '/'-separated path relative to the content folder.
SizeOf = Callable[[str], "tuple[int, int] | None"]
PictureOf = Callable[[str], Any]
BODY_SIZES = "(min-width: 52rem) 46rem, 100vw"


@dataclass(frozen=True)
class DocumentImages:
    """What the images of one document resolve against."""

    item: ContentItem
    content_root: Path
    size_of: SizeOf
    picture_of: PictureOf | None = None
    base: str = ""


@dataclass(frozen=True)
class PictureFacts:
    """Everything of the pipeline's variants that goes into the HTML of one image, for one base."""

    width: int
    height: int
    sources: tuple[tuple[str, str], ...]  # (mime type, srcset) for <source>
    src: str
    srcset: str


def picture_facts(views: Any, base: str) -> PictureFacts:
    # The render cache compares these facts to decide whether cached HTML is still right, so the
    # HTML is built from them and nothing else.
    prefix = base.rstrip("/") or "."
    return PictureFacts(
        views.width,
        views.height,
        tuple(views.srcset(prefix)),
        f"{prefix}/{views.fallback_src}",
        ", ".join(f"{prefix}/{entry}" for entry in views.fallback_srcset.split(", ")),
    )


class ImageSizeTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: ImageSizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        document = self.extension.document
        if document is None:
            raise RuntimeError("ImageSizeExtension.point_at() was not called before convert()")
        for parent in list(root.iter()):
            for index, image in enumerate(list(parent)):
                if image.tag == "img":
                    replacement = improve(image, document)
                    if replacement is not None:
                        parent.remove(image)
                        parent.insert(index, replacement)


def improve(image: etree.Element, document: DocumentImages) -> etree.Element | None:
    """Size and lazy-load `image`; return a <picture> to put in its place where there are variants."""
    src = image.get("src", "")
    if "://" in src or src.startswith(("//", "data:")):
        return None
    relative = resolve_content_path(src, document.item, document.content_root)
    image.set("loading", "lazy")
    image.set("decoding", "async")
    views = document.picture_of(relative) if document.picture_of else None
    if views is None:
        size = document.size_of(relative)
        if size and not image.get("width"):
            image.set("width", str(size[0]))
            image.set("height", str(size[1]))
        return None
    facts = picture_facts(views, document.base)
    picture = etree.Element("picture")
    for mime, srcset in facts.sources:
        etree.SubElement(picture, "source", {"type": mime, "srcset": srcset, "sizes": BODY_SIZES})
    image.set("src", facts.src)
    image.set("srcset", facts.srcset)
    image.set("sizes", BODY_SIZES)
    image.set("width", str(facts.width))
    image.set("height", str(facts.height))
    picture.append(image)
    return picture


class ImageSizeExtension(Extension):
    def __init__(self, document: DocumentImages | None = None) -> None:
        super().__init__()
        self.document = document

    def point_at(self, document: DocumentImages) -> None:
        """Resolve images against `document` in the next conversion."""
        self.document = document

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(ImageSizeTreeprocessor(md, self), "hub_image_size", 1)
