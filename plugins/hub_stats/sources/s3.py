"""Access logs in an S3 bucket (or S3-compatible storage): where CloudFront and S3 deliver them.

`s3://bucket/prefix/` in HUB_STATS_LOGS. The client is built like `invoke publish`'s
(hub_publish.s3.make_client): the endpoint from HUB_S3_ENDPOINT, credentials only from
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, never from the settings or a
profile, and never shown in a message. The credentials need s3:ListBucket on the bucket and
s3:GetObject and s3:DeleteObject on the prefix (raw logs are deleted after HUB_STATS_KEEP_RAW_DAYS).

A log file is fetched whole into a spooled temporary file (memory up to SPOOL_BYTES, then disk):
the reader may read it twice (its digest, then its lines), and a stream from S3 can be read once.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from typing import IO, Any

from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError
from hub_core.i18n import translator
from hub_publish.s3 import make_client, missing_credentials, normalize_prefix, redact

from .interface import LogFile, LogSourceError

_, ngettext = translator("hub_stats")

ENDPOINT_VARIABLE = "HUB_S3_ENDPOINT"
SPOOL_BYTES = 16 << 20
MISSING_BUCKET = ("NoSuchBucket",)
DENIED = ("AccessDenied", "AllAccessDisabled", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403")


def parse_location(location: str) -> tuple[str, str]:
    """`s3://bucket/prefix/` → bucket and prefix ('logs/'; '' for the whole bucket)."""
    bucket, _slash, prefix = location.removeprefix("s3://").partition("/")
    if not bucket:
        raise LogSourceError(
            _("HUB_STATS_LOGS: expected an S3 address such as s3://bucket/logs/, found {found}").format(found=location)
        )
    return bucket, normalize_prefix(prefix)


class S3Source:
    def __init__(self, location: str, environ: Mapping[str, str], *, client: Any = None) -> None:
        self.bucket, self.prefix = parse_location(location)
        self.location = f"s3://{self.bucket}/{self.prefix}"
        self.endpoint_url = environ.get(ENDPOINT_VARIABLE) or None
        self._environ = environ
        self._client = client

    @property
    def client(self) -> Any:
        """Made on first use, so a run without logs to read needs no credentials."""
        if self._client is None:
            missing = missing_credentials(self._environ)
            if missing:
                raise LogSourceError(
                    _(
                        "{location}: expected credentials in the environment variables AWS_ACCESS_KEY_ID and "
                        "AWS_SECRET_ACCESS_KEY, found {missing} unset or empty"
                    ).format(location=self.location, missing=_(" and ").join(missing))
                )
            try:
                self._client = make_client(self._environ, endpoint_url=self.endpoint_url)
            except (BotoCoreError, ValueError) as error:
                where = _("{location}: cannot set up the S3 client").format(location=self.location)
                raise self._error(where, error) from None
        return self._client

    def files(self) -> Iterator[LogFile]:
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", ()):
                    key = str(item["Key"])
                    if key.endswith("/"):  # a folder marker of a storage console, no log
                        continue
                    # LastModified: when the log was delivered, aware (botocore gives UTC)
                    yield LogFile(name=key, modified=item["LastModified"], size=int(item["Size"]))
        except (BotoCoreError, ClientError) as error:
            where = _("{location}: cannot list the log files").format(location=self.location)
            raise self._error(where, error) from None

    def open(self, file: LogFile) -> IO[bytes]:
        spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
        try:
            self.client.download_fileobj(self.bucket, file.name, spool)
        except (BotoCoreError, ClientError) as error:
            spool.close()
            where = f"s3://{self.bucket}/{file.name}"
            raise self._error(_("{where}: cannot read the log file").format(where=where), error) from None
        spool.seek(0)
        return spool

    def local_path(self, file: LogFile) -> None:
        return None  # fetched with `open`, into a temporary file, before it is counted

    def delete(self, file: LogFile) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=file.name)
        except (BotoCoreError, ClientError) as error:
            where = f"s3://{self.bucket}/{file.name}"
            raise self._error(_("{where}: cannot delete the log file").format(where=where), error) from None

    def _error(self, where: str, error: Exception) -> LogSourceError:
        """One line for people: what failed, why, and what to check; no traceback, no secret."""
        if isinstance(error, ClientError):
            details = error.response.get("Error", {})
            code = str(details.get("Code", "error"))
            if code in MISSING_BUCKET:
                reason = _(
                    "the bucket {bucket} does not exist; check HUB_STATS_LOGS and, for S3-compatible storage, "
                    "{variable}"
                ).format(bucket=self.bucket, variable=ENDPOINT_VARIABLE)
            elif code in DENIED:
                reason = _(
                    "access denied ({code}); the credentials in AWS_ACCESS_KEY_ID need s3:ListBucket, "
                    "s3:GetObject and s3:DeleteObject for {location}"
                ).format(code=code, location=self.location)
            else:
                reason = f"{code}: {details.get('Message') or error}"
        elif isinstance(error, EndpointConnectionError):
            reason = _("cannot reach {endpoint}").format(endpoint=self.endpoint_url or "S3")
        else:
            reason = str(error)
        return LogSourceError(redact(f"{where}: {reason}", self._environ))
