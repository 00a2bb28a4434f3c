"""What hub_dialogue hands on during a build (see hub_core/state.py)."""

from __future__ import annotations

from hub_core.state import Slot

from .posts_index import PostsIndex

# Filled at article_generator_finalized (every post's thread is known), written at finalized.
DIALOGUE: Slot[PostsIndex] = Slot("dialogue", "hub_dialogue", "the posts that take comments")
