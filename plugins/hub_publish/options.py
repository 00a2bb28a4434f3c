"""hub_publish's setting: HUB_DEPLOY, judged by settings.py (every problem at once).

HUB_RSYNC_DEST and HUB_S3_ENDPOINT are the environment variables publishconf.py's examples name
(`"destination_env"`, `"endpoint_url_env"`), not settings.
"""

from __future__ import annotations

from typing import Any

from hub_core.options import Option

from .settings import SETTING, config_problems


def _deploy(value: Any) -> str | None:
    return "\n".join(config_problems(value)) or None


DEPLOY = Option(
    SETTING,
    None,
    _deploy,
    'where `invoke publish` deploys: `{"target": "s3", "bucket": …}`, `rsync` or `directory`;'
    ' None: the folder `deploy/` (see "Publishing from CI")',
)

OPTIONS = (DEPLOY,)
