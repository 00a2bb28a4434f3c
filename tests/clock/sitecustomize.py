"""Test-only: every Python process the test suite starts runs at the suite's fixed moment.

In-process tests travel to conftest.NOW (time_machine); a build started with subprocess would
otherwise read the real clock, and a post dated for the fixed moment turns stale weeks later
(a test that passes today fails in CI a fortnight on). conftest puts this folder on PYTHONPATH
and the moment into HUB_TEST_NOW for the whole session; Python imports `sitecustomize` at start-up.
"""

import os

_NOW = os.environ.get("HUB_TEST_NOW")
if _NOW:
    from datetime import datetime

    import time_machine

    time_machine.travel(datetime.fromisoformat(_NOW), tick=True).start()
