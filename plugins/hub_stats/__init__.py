"""stats: what each post and channel achieved, counted without tracking.

Readers are counted from the web server's or CDN's access logs (`invoke stats`), never in their
browser: no cookie, no script, no third-party request. Each log line is read, judged (a person reading
a page, a feed reader, a bot, a prefetch, our own health check) and added to the figures of its day;
then it is gone. The figures (model.DayFigures) hold paths, channel names, referring hosts and counts,
nothing about a reader: no IP address, no User-Agent string. They live as small JSON files in
`data/stats/` (store.py), which CI commits like the cross-posting ledger. Raw logs older than
HUB_STATS_KEEP_RAW_DAYS are deleted at every run, also when the run fails.

Platform figures (replies, reposts, likes of each teaser) are fetched per day with the clients of
hub_crosspost and hub_inbox.listen. The KPIs (kpi.py) and the monthly report (`invoke report`) are
computed from these files, the posts, the editorial calendar and, when it exists, the comment inbox.

Settings: options.py. The calendar's `kpi:` section: calendar_sections.py.
"""
