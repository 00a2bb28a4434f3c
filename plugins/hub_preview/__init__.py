"""preview: `invoke serve`, a live preview that rebuilds when a file is saved and reloads open pages.

A library for tasks.py, not a Pelican plugin (not in PLUGINS, no signals, no `register()`). It
watches what a build reads (content, the editorial calendar, the theme, the settings files and the
plugins' code), rebuilds in a subprocess with the command `invoke build` runs, serves output/ on
127.0.0.1 and tells every open page over Server-Sent Events when a newer build is there. The reload
script is added to HTML responses only, never to a file: output/ stays what the build wrote. A failed
build keeps the last good pages in output/; the browser shows its findings instead, in German.

Modules:
  watch.py   which changed paths start a rebuild, and the debounce (pure)
  page.py    the reload script tag, the failed build's problems and the pages saying so (pure)
  build.py   the build command, and one build in a subprocess
  quick.py   the quick page: a saved post's new body and title in its last built page, before the rebuild
  regions.py the regions of a built page the theme marks for it (pure)
  server.py  the HTTP server, the event stream, the watcher and builder threads
"""

from __future__ import annotations
