"""Listening: the replies to our teasers on Mastodon and Bluesky, and their counts, into the inbox's queue.

`invoke listen` reads the crosspost ledger (every teaser that went out, with its status id or
at:// URI), asks each platform for the teaser's thread, and lets a pure step decide what changed:
- thread.py: what a platform said about one teaser (replies, counts, what it names as gone);
- mastodon.py, bluesky.py: one reader per platform, on hub_crosspost's HTTP layer (retries,
  rate-limit waits, timeouts, redaction) and its channel configuration and credentials;
- text.py: Mastodon's HTML as plain text;
- merge.py: from the threads and the stored items, the new items, the gone ones, the counts (pure);
- run.py: the run over every channel, writing through the Store interface.

It lives in hub_inbox, not beside the crosspost clients: cross-posting only talks, and the
inbox owns what comes back. It depends on hub_crosspost's pure modules, never the other way.
"""
