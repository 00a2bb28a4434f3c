"""hub_inbox: the dialogue service. Reader comments and replies to our teasers in one moderated queue.

A small WSGI application Hub owns (not a Pelican plugin: it runs beside the static site, behind the
blog's own domain at a path such as /dialog/). `model.py` is the vocabulary every part shares:
the intake (the comment form), the listener (`invoke listen`: replies on Mastodon and Bluesky),
moderation, and the export the build renders approved comments from (hub_dialogue).
"""
