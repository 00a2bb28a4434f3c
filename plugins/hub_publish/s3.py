"""S3 and S3-compatible storage (AWS, MinIO, Ceph, Cloudflare R2) via boto3.

Credentials come from the environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
and, for temporary credentials, AWS_SESSION_TOKEN, and from nowhere else: a developer's
~/.aws profile must never decide which account a deploy writes to. They are never
printed; every error message is cleared of them before it is raised.

Each object carries the SHA-256 of its content in its metadata (x-amz-meta-sha256), read
back with one HEAD request per object: ETags are MD5s only for single-part uploads without
KMS encryption. Objects without that metadata (uploaded by other tools) are compared by
an ETag that is an MD5, or else sent again, after which they carry it.

A redirect page (an old address of a post, see redirects.py) is uploaded with
WebsiteRedirectLocation, so the bucket's website endpoint answers it with a 301.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from hub_core.i18n import translator
from hub_core.progress import Step, progress

from .errors import DeployError
from .headers import cache_control, content_type
from .plan import DeployPlan, LocalFile, RemoteFile, compute_plan, upload_tier
from .redirects import redirect_location
from .report import DeployReport, report_for

_, ngettext = translator("hub_publish")

SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
DELETE_BATCH = 1000  # the most DeleteObjects accepts in one request
WORKERS = 8
MD5_ETAG = re.compile(r'^"?([0-9a-f]{32})"?$', re.IGNORECASE)


def normalize_prefix(prefix: str) -> str:
    """'blog' and '/blog/' become 'blog/'; '' stays '' (the whole bucket)."""
    prefix = prefix.strip("/")
    return f"{prefix}/" if prefix else ""


class S3Target:
    """The objects under `prefix` in `bucket` belong to the site: whatever the build does not
    have is deleted there. Give the site a bucket or prefix of its own."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        client: Any = None,
        *,
        environ: Mapping[str, str] | None = None,
        workers: int = WORKERS,
    ) -> None:
        self.bucket = bucket
        self.prefix = normalize_prefix(prefix)
        self.endpoint_url = endpoint_url
        self.region = region
        self.workers = workers
        self._client = client
        self._environ = os.environ if environ is None else environ

    @property
    def name(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}"
        return (
            _("{where} at {endpoint}").format(where=where, endpoint=self.endpoint_url) if self.endpoint_url else where
        )

    @property
    def client(self) -> Any:
        """Made on first use, so reading the settings needs no credentials."""
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def current_state(self) -> dict[str, RemoteFile]:
        """Every object under the prefix by path below it. Keys ending in "/" (folder markers
        that storage consoles create) are not files of the site and are left alone."""
        listed: dict[str, tuple[int, str]] = {}
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", ()):
                    path = item["Key"][len(self.prefix) :]
                    if path and not path.endswith("/"):
                        listed[path] = (int(item["Size"]), str(item.get("ETag", "")))
        except (BotoCoreError, ClientError) as error:
            where = f"s3://{self.bucket}/{self.prefix}"
            raise self._error(_("{where}: cannot list the objects").format(where=where), error) from None

        def read(path: str) -> tuple[str, RemoteFile]:
            size, etag = listed[path]
            match = MD5_ETAG.match(etag)
            return path, RemoteFile(
                size=size, sha256=self._stored_sha256(path), md5=match[1].lower() if match else None
            )

        with progress(len(listed), _("Checking the published files"), unit=_("files")) as step:
            return dict(self._parallel(read, sorted(listed), step))

    def plan(self, local_root: Path, local: Mapping[str, LocalFile]) -> DeployPlan:
        return compute_plan(local, self.current_state())

    def apply(self, plan: DeployPlan, local_root: Path, *, dry_run: bool = False) -> DeployReport:
        report = report_for(self.name, plan, local_root, dry_run=dry_run)
        if dry_run:
            return report
        uploads = plan.uploads
        with progress(len(uploads), _("Uploading"), unit=_("files")) as step:
            # In parallel within a tier only: a tier starts when the one before it is complete.
            for tier in sorted({upload_tier(path) for path in uploads}):
                batch = [path for path in uploads if upload_tier(path) == tier]
                self._parallel(lambda path: self._put(path, local_root / path), batch, step)
        with progress(len(plan.delete), _("Deleting"), unit=_("files")) as step:
            for start in range(0, len(plan.delete), DELETE_BATCH):
                batch = plan.delete[start : start + DELETE_BATCH]
                self._delete(batch)
                step(len(batch))
        return report

    def _key(self, path: str) -> str:
        return f"{self.prefix}{path}"

    def _stored_sha256(self, path: str) -> str | None:
        key = self._key(path)
        try:
            metadata = self.client.head_object(Bucket=self.bucket, Key=key).get("Metadata") or {}
        except (BotoCoreError, ClientError) as error:
            where = f"s3://{self.bucket}/{key}"
            raise self._error(_("{where}: cannot read the metadata").format(where=where), error) from None
        value = metadata.get("sha256")
        return value.lower() if isinstance(value, str) and value else None

    def _put(self, path: str, source: Path) -> None:
        key = self._key(path)
        try:
            data = source.read_bytes()  # read once, so the hashes describe exactly what is sent
        except OSError as error:
            reason = error.strerror or error
            raise DeployError(_("{path}: cannot read ({reason})").format(path=source, reason=reason)) from None
        md5 = hashlib.md5(data, usedforsecurity=False).digest()
        extra = {}
        location = redirect_location(key, data)
        if location is not None:  # an old address of a post: the website endpoint answers with a 301
            extra["WebsiteRedirectLocation"] = location
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType=content_type(path),
                CacheControl=cache_control(path),
                Metadata={"sha256": hashlib.sha256(data).hexdigest()},
                # The storage checks it and refuses a damaged upload; every S3-compatible server knows it.
                ContentMD5=base64.b64encode(md5).decode("ascii"),
                **extra,
            )
        except (BotoCoreError, ClientError) as error:
            where = f"s3://{self.bucket}/{key}"
            raise self._error(_("{where}: cannot upload {path}").format(where=where, path=source), error) from None

    def _delete(self, paths: Sequence[str]) -> None:
        objects = [{"Key": self._key(path)} for path in paths]
        try:
            response = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})
        except (BotoCoreError, ClientError) as error:
            where = _("{where} (and {count} more)").format(
                where=f"s3://{self.bucket}/{objects[0]['Key']}", count=len(objects) - 1
            )
            raise self._error(_("{where}: cannot delete").format(where=where), error) from None
        failed = response.get("Errors") or []
        if failed:
            listed = "; ".join(
                f"s3://{self.bucket}/{item.get('Key')}: {item.get('Code')}: {item.get('Message')}"
                for item in failed[:5]
            )
            more = _(" and {count} more").format(count=len(failed) - 5) if len(failed) > 5 else ""
            message = ngettext(
                "cannot delete {count} object: {listed}{more}",
                "cannot delete {count} objects: {listed}{more}",
                len(failed),
            ).format(count=len(failed), listed=listed, more=more)
            raise DeployError(self._redact(message))

    def _parallel(self, work: Callable[[str], Any], paths: Iterable[str], step: Step | None = None) -> list[Any]:
        """`work` over `paths` on a few threads (boto3 clients are thread-safe); the first
        error is raised once all running calls have ended. `step` counts each path done."""
        paths = list(paths)

        def counted(path: str) -> Any:
            result = work(path)
            if step is not None:
                step()
            return result

        if len(paths) <= 1 or self.workers <= 1:
            return [counted(path) for path in paths]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(counted, path) for path in paths]
            try:
                return [future.result() for future in futures]
            except BaseException:
                for future in futures:  # what has not started yet would fail the same way
                    future.cancel()
                raise

    def _make_client(self) -> Any:
        missing = missing_credentials(self._environ)
        if missing:
            raise DeployError(
                _(
                    "{target}: expected credentials in the environment variables AWS_ACCESS_KEY_ID and "
                    "AWS_SECRET_ACCESS_KEY, found {missing} unset or empty"
                ).format(target=self.name, missing=_(" and ").join(missing))
            )
        try:
            return make_client(
                self._environ, endpoint_url=self.endpoint_url, region=self.region, pool=max(self.workers, 10)
            )
        except (BotoCoreError, ValueError) as error:
            raise self._error(_("{target}: cannot set up the S3 client").format(target=self.name), error) from None

    def _error(self, where: str, error: Exception) -> DeployError:
        if isinstance(error, ClientError):
            details = error.response.get("Error", {})
            reason = f"{details.get('Code', 'error')}: {details.get('Message') or error}"
        else:
            reason = str(error)
        return DeployError(self._redact(f"{where}: {reason}"))

    def _redact(self, text: str) -> str:
        return redact(text, self._environ)


def missing_credentials(environ: Mapping[str, str]) -> list[str]:
    """The credential variables a client needs that are unset or empty (by name, never the value)."""
    return [name for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") if not environ.get(name)]


def make_client(
    environ: Mapping[str, str], *, endpoint_url: str | None, region: str | None = None, pool: int = 10
) -> Any:
    """A boto3 S3 client with the credentials of `environ` and nothing else (no profile, no ~/.aws).
    Raises BotoCoreError or ValueError; the caller words the error (and redacts it)."""
    region = region or environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or None
    config = Config(
        retries={"mode": "standard", "max_attempts": 5},
        max_pool_connections=pool,
        # botocore ≥ 1.36 adds CRC checksums that several S3-compatible servers reject;
        # the Content-MD5 we send protects every upload instead.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    session = boto3.session.Session(
        aws_access_key_id=environ.get("AWS_ACCESS_KEY_ID", ""),
        aws_secret_access_key=environ.get("AWS_SECRET_ACCESS_KEY", ""),
        aws_session_token=environ.get("AWS_SESSION_TOKEN") or None,
        region_name=region,
    )
    return session.client("s3", endpoint_url=endpoint_url, config=config)


def redact(text: str, environ: Mapping[str, str]) -> str:
    """`text` with every secret of `environ` replaced by ***: for any message that quotes a server."""
    for name in SECRET_VARIABLES:
        secret = environ.get(name)
        if secret:
            text = text.replace(secret, "***")
    return text
