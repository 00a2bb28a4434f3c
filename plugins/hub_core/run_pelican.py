"""`python -m hub_core.run_pelican <pelican arguments>`: Pelican with Hub's build log from its first line.

What `invoke build` runs. The same as `pelican`, except that the log is taken over before
the settings are read, so an error in pelicanconf.py is one line too (see build_log.py).
"""

from __future__ import annotations

from hub_core.build_log import main

if __name__ == "__main__":
    main()
