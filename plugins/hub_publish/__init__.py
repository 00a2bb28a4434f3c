"""publish: put a finished build on the live site, checked, in a safe order, to real storage.

A library for `invoke publish`, not a Pelican plugin: it is not in PLUGINS and hooks
into no signal (the `register()` below only keeps it shaped like its neighbours). The
task builds the production site into a fresh temporary folder, then calls
`deploy.deploy(target, folder)` with the target that `settings.target_from_settings`
reads from HUB_DEPLOY in publishconf.py.

A deploy compares content hashes (SHA-256, never modification times, which a fresh
build always changes), so only new and changed files travel. It uploads assets first,
then HTML, then the feeds, sitemap and search entry that announce the pages, and only
then deletes what is gone: a reader never meets a page whose stylesheet, image or link
target is missing half-way through.

Modules:
  plan.py       what to upload, replace, delete (pure)
  headers.py    Content-Type and Cache-Control per file (pure)
  redirects.py  redirect pages recognised, for S3's WebsiteRedirectLocation (pure)
  local.py      hash a built folder
  s3.py         S3 and S3-compatible storage (AWS, MinIO, Ceph, R2) via boto3
  rsync.py      a server reachable with rsync over SSH, or a local folder
  directory.py  a local folder (the default: needs no account)
  deploy.py     the Target protocol and deploy()
  report.py     DeployReport and format_report()
  settings.py   HUB_DEPLOY → a target
"""

from __future__ import annotations


def register() -> None:
    """Nothing to connect: the deploy runs after the build, from tasks.py."""
