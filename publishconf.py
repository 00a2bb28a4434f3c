"""Production settings: everything from pelicanconf.py, then what the live site needs."""

from __future__ import annotations

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *

# The public address; CI may override it (e.g. for a staging bucket).
SITEURL = os.environ.get("HUB_SITEURL", "https://blog.hellwig-antriebe.example")
RELATIVE_URLS = False

# Drafts and posts in review are never written; future-dated posts count as drafts.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_URL = ""
DRAFT_LANG_URL = ""
# Draft pages too (Pelican writes them to drafts/pages/ by default): a draft never goes live.
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
DRAFT_PAGE_URL = ""
DRAFT_PAGE_LANG_URL = ""
WITH_FUTURE_DATES = False

# Its own folder: a production build (absolute URLs, no drafts) never replaces the preview in output/.
# `invoke publish` builds into it and deploys it.
OUTPUT_PATH = "output-prod"
DELETE_OUTPUT_DIRECTORY = True

# Only approved, due, unfrozen posts go live: everything else is left out of every output.
HUB_REVIEW_HOLD = True
# The editorial plan names unpublished topics: never on the public site unless asked.
HUB_DASHBOARD_SAVE_AS = ""

# Photos need credit and license before they go live; a blog silent for too long fails the build.
# A misspelt front-matter key (catgory:) would silently drop its field from the live site.
# Page views counted from the logs (HUB_STATS_LOGS) that the privacy page does not describe are not published.
HUB_CHECKS = {
    **HUB_CHECKS,
    "image-credit": "error",
    "stale-blog": "error",
    "key-typo": "error",
    "stats-privacy-notice": "error",
}

# Where `invoke publish` puts the site (default: the folder deploy/ beside the project).
# Credentials only ever come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
# HUB_DEPLOY = {"target": "s3", "bucket": "blog-hellwig-antriebe", "region": "eu-central-1"}
#   MinIO, Ceph, Cloudflare R2: add "endpoint_url_env": "HUB_S3_ENDPOINT"
# HUB_DEPLOY = {"target": "rsync", "destination_env": "HUB_RSYNC_DEST"}
