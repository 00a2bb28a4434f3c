"""Deploys for real: to an S3-compatible server on loopback (moto), to a local folder, and with
rsync where it is installed; plus the plan, the headers, the report and HUB_DEPLOY directly."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest
from hub_core import i18n
from hub_publish.deploy import deploy
from hub_publish.directory import DirectoryTarget
from hub_publish.errors import DeployConfigError, DeployError
from hub_publish.headers import IMAGES, LONG, SHORT, cache_control, content_type
from hub_publish.local import scan
from hub_publish.plan import DeployPlan, LocalFile, RemoteFile, compute_plan, upload_order
from hub_publish.report import DeployReport, format_report, human_size
from hub_publish.rsync import RsyncTarget, parse_itemized
from hub_publish.s3 import S3Target
from hub_publish.settings import target_from_settings

SECRET = "wJalrXUtnFEMI-this-must-never-show"
SESSION = "session-token-that-must-never-show"
POST = "2026/11/pruefstand/index.html"
SITE: dict[str, str | bytes] = {
    "index.html": "<!doctype html><title>Start</title><link rel=stylesheet href=/theme/css/hub.css>",
    POST: "<!doctype html><title>Prüfstand</title><img src=/images/posts/motor.webp>",
    "404.html": "<!doctype html><title>Nicht gefunden</title>",
    "theme/css/hub.css": "body { font-family: sans-serif }",
    "theme/js/search.js": "import('/pagefind/pagefind.js')",
    "images/posts/motor.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 motor",
    "feeds/alle.atom.xml": "<?xml version='1.0'?><feed/>",
    "feeds/alle.rss.xml": "<?xml version='1.0'?><rss/>",
    "sitemap.xml": "<?xml version='1.0'?><urlset/>",
    "robots.txt": "User-agent: *\nSitemap: https://blog.example/sitemap.xml\n",
    "pagefind/pagefind.js": "export const search = 1;",
    "pagefind/pagefind-entry.json": '{"version": "1.5.2", "languages": {"de": {"hash": "de_606fbee918"}}}',
    "pagefind/pagefind.de_606fbee918.pf_meta": b"\x1f\x8b meta",
    "pagefind/fragment/de_c63f408.pf_fragment": b"\x1f\x8b fragment",
    "pagefind/index/de_cda1322.pf_index": b"\x1f\x8b index",
    "pagefind/wasm.de.pagefind": b"\x00asm",
}


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def build(tmp_path: Path) -> Path:
    """A finished build: a small site with one file of every kind."""
    return write_site(tmp_path / "build", SITE)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- S3 on a real server on loopback ---------------------------------------------------


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials in the environment, and no profile of the machine's user."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def s3(s3_endpoint: str, aws_env: None) -> Any:
    """A client of our own, to set up and inspect the bucket behind the deploy's back."""
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"blog-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def keys(s3: Any, bucket: str) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", ()))


class Recorder:
    """Watches the deploy's own boto3 client: which calls it makes, in order."""

    def __init__(self, target: S3Target) -> None:
        self.calls: list[tuple[str, str]] = []
        events = target.client.meta.events
        events.register("before-parameter-build.s3.PutObject", self._put)
        events.register("before-parameter-build.s3.DeleteObjects", self._delete)

    def _put(self, params: dict[str, Any], **_: Any) -> None:
        self.calls.append(("put", params["Key"]))

    def _delete(self, params: dict[str, Any], **_: Any) -> None:
        self.calls.extend(("delete", item["Key"]) for item in params["Delete"]["Objects"])

    def puts(self) -> list[str]:
        return [key for operation, key in self.calls if operation == "put"]


def test_s3_first_deploy_uploads_every_file_with_its_headers_and_hash(
    s3: Any, bucket: str, s3_endpoint: str, build: Path
):
    report = deploy(S3Target(bucket, endpoint_url=s3_endpoint), build)

    assert sorted(report.uploaded) == sorted(SITE) and not report.changed and not report.deleted
    assert report.uploaded_bytes == sum((build / path).stat().st_size for path in SITE)
    assert keys(s3, bucket) == sorted(SITE)
    expected = {
        "index.html": ("text/html; charset=utf-8", SHORT),
        POST: ("text/html; charset=utf-8", SHORT),
        "theme/css/hub.css": ("text/css; charset=utf-8", SHORT),
        "theme/js/search.js": ("text/javascript; charset=utf-8", SHORT),
        "images/posts/motor.webp": ("image/webp", IMAGES),
        "feeds/alle.atom.xml": ("application/atom+xml; charset=utf-8", SHORT),
        "feeds/alle.rss.xml": ("application/rss+xml; charset=utf-8", SHORT),
        "sitemap.xml": ("application/xml", SHORT),
        "robots.txt": ("text/plain; charset=utf-8", SHORT),
        "pagefind/pagefind.js": ("text/javascript; charset=utf-8", SHORT),
        "pagefind/pagefind-entry.json": ("application/json", SHORT),
        "pagefind/fragment/de_c63f408.pf_fragment": ("application/octet-stream", LONG),
        "pagefind/wasm.de.pagefind": ("application/octet-stream", SHORT),
    }
    for key, (kind, caching) in expected.items():
        head = s3.head_object(Bucket=bucket, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (kind, caching), key
        assert head["Metadata"] == {"sha256": sha256(build / key)}, key
    body = s3.get_object(Bucket=bucket, Key=POST)["Body"].read()
    assert body == (build / POST).read_bytes()


def test_s3_second_deploy_of_the_same_build_uploads_nothing(bucket: str, s3_endpoint: str, build: Path):
    target = S3Target(bucket, endpoint_url=s3_endpoint)
    deploy(target, build)
    recorder = Recorder(target)

    report = deploy(target, build)

    assert (report.uploaded, report.changed, report.deleted) == ((), (), ())
    assert report.unchanged == len(SITE) and report.uploaded_bytes == 0
    assert recorder.calls == []
    assert format_report(report) == f"publish: {target.name} ist aktuell ({len(SITE)} Dateien unverändert)"


def test_s3_a_deleted_page_deletes_exactly_its_object(s3: Any, bucket: str, s3_endpoint: str, build: Path):
    target = S3Target(bucket, endpoint_url=s3_endpoint)
    deploy(target, build)
    (build / POST).unlink()
    recorder = Recorder(target)

    report = deploy(target, build)

    assert report.deleted == (POST,) and not report.uploaded and not report.changed
    assert recorder.calls == [("delete", POST)]
    assert keys(s3, bucket) == sorted(set(SITE) - {POST})


def test_s3_a_changed_file_is_uploaded_again(s3: Any, bucket: str, s3_endpoint: str, build: Path):
    target = S3Target(bucket, endpoint_url=s3_endpoint)
    deploy(target, build)
    (build / "theme/css/hub.css").write_text("body { font-family: serif }", encoding="utf-8")
    recorder = Recorder(target)

    report = deploy(target, build)

    assert report.changed == ("theme/css/hub.css",) and not report.uploaded and not report.deleted
    assert recorder.puts() == ["theme/css/hub.css"]
    assert s3.get_object(Bucket=bucket, Key="theme/css/hub.css")["Body"].read() == b"body { font-family: serif }"
    head = s3.head_object(Bucket=bucket, Key="theme/css/hub.css")
    assert head["Metadata"]["sha256"] == sha256(build / "theme/css/hub.css")


def test_s3_uploads_assets_then_pages_then_announcements_and_deletes_last(
    s3: Any, bucket: str, s3_endpoint: str, build: Path
):
    s3.put_object(Bucket=bucket, Key="alt/verschwunden/index.html", Body=b"<title>weg</title>")
    s3.put_object(Bucket=bucket, Key="theme/css/alt.css", Body=b"old")
    target = S3Target(bucket, endpoint_url=s3_endpoint, workers=4)
    recorder = Recorder(target)

    deploy(target, build)

    operations = [operation for operation, _ in recorder.calls]
    assert operations == ["put"] * len(SITE) + ["delete"] * 2
    puts = recorder.puts()
    position = {key: index for index, key in enumerate(puts)}

    def last(keys: list[str]) -> int:
        return max(position[key] for key in keys)

    def first(keys: list[str]) -> int:
        return min(position[key] for key in keys)

    hashed = [key for key in SITE if key.endswith((".pf_meta", ".pf_fragment", ".pf_index"))]
    pages = [key for key in SITE if key.endswith(".html")]
    announcing = [key for key in SITE if key.endswith(".xml")] + ["pagefind/pagefind-entry.json"]
    assets = [key for key in SITE if key not in {*hashed, *pages, *announcing}]
    assert last(hashed) < first(assets) and last(assets) < first(pages) and last(pages) < first(announcing)
    assert keys(s3, bucket) == sorted(SITE)


def test_s3_dry_run_lists_the_plan_and_changes_nothing(s3: Any, bucket: str, s3_endpoint: str, build: Path):
    s3.put_object(Bucket=bucket, Key="alt.html", Body=b"old")
    target = S3Target(bucket, endpoint_url=s3_endpoint)
    recorder = Recorder(target)

    report = deploy(target, build, dry_run=True)

    assert report.dry_run and sorted(report.uploaded) == sorted(SITE) and report.deleted == ("alt.html",)
    assert recorder.calls == []
    assert keys(s3, bucket) == ["alt.html"]
    text = format_report(report)
    assert text.startswith(f"publish: Probelauf, nichts wurde nach s3://{bucket}/")
    assert "  würde hochladen  index.html" in text and "  würde löschen    alt.html" in text
    assert f"{len(SITE)} neu, 0 geändert, 1 gelöscht, 0 unverändert" in text


def test_s3_prefix_keeps_the_site_in_its_folder_and_leaves_the_rest_alone(
    s3: Any, bucket: str, s3_endpoint: str, build: Path
):
    for key in ("andere/bleibt.txt", "blog-alt/bleibt.html", "blog/weg.html"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    target = S3Target(bucket, prefix="/blog/", endpoint_url=s3_endpoint)

    report = deploy(target, build)

    assert report.deleted == ("weg.html",) and target.name == f"s3://{bucket}/blog/ auf {s3_endpoint}"
    assert keys(s3, bucket) == sorted(["andere/bleibt.txt", "blog-alt/bleibt.html", *(f"blog/{p}" for p in SITE)])
    assert s3.head_object(Bucket=bucket, Key="blog/index.html")["ContentType"] == "text/html; charset=utf-8"
    assert deploy(target, build).unchanged == len(SITE)


def test_s3_objects_uploaded_by_other_tools_are_compared_by_their_md5_etag(
    s3: Any, bucket: str, s3_endpoint: str, build: Path
):
    s3.put_object(Bucket=bucket, Key="robots.txt", Body=(build / "robots.txt").read_bytes())
    same_size = b"x" * (build / "theme/css/hub.css").stat().st_size
    s3.put_object(Bucket=bucket, Key="theme/css/hub.css", Body=same_size)

    report = deploy(S3Target(bucket, endpoint_url=s3_endpoint), build, dry_run=True)

    assert "robots.txt" not in report.uploaded + report.changed
    assert report.changed == ("theme/css/hub.css",)


def test_s3_missing_bucket_is_named_and_no_secret_is_shown(aws_env: None, s3_endpoint: str, build: Path):
    with pytest.raises(DeployError) as caught:
        deploy(S3Target("gibt-es-nicht", endpoint_url=s3_endpoint), build)

    message = str(caught.value)
    assert "s3://gibt-es-nicht/" in message and "NoSuchBucket" in message
    assert SECRET not in message and SESSION not in message


def test_s3_a_failed_upload_names_object_and_bucket_and_deletes_nothing(
    s3: Any, bucket: str, s3_endpoint: str, build: Path
):
    target = S3Target(bucket, endpoint_url=s3_endpoint)
    plan = target.plan(build, scan(build))
    s3.delete_bucket(Bucket=bucket)  # gone between plan and upload
    recorder = Recorder(target)

    with pytest.raises(DeployError) as caught:
        target.apply(plan, build)

    message = str(caught.value)
    assert message.startswith(f"s3://{bucket}/pagefind/") and ": NoSuchBucket: " in message
    assert f": {build}/pagefind/" in message and "kann nicht hochgeladen werden" in message
    assert SECRET not in message
    assert [operation for operation, _ in recorder.calls if operation == "delete"] == []


def test_s3_credentials_come_from_the_environment_and_are_never_shown(
    monkeypatch: pytest.MonkeyPatch, aws_env: None, bucket: str, s3_endpoint: str, build: Path
):
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    with pytest.raises(DeployError) as caught:
        deploy(S3Target(bucket, endpoint_url=s3_endpoint), build)

    message = str(caught.value)
    assert "gefunden: AWS_SECRET_ACCESS_KEY nicht gesetzt" in message and bucket in message
    assert SESSION not in message and "testing" not in message


def test_an_empty_or_unfinished_build_is_refused_before_anything_is_deleted(
    s3: Any, bucket: str, s3_endpoint: str, tmp_path: Path
):
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"live")
    empty = tmp_path / "empty"
    empty.mkdir()
    half = write_site(tmp_path / "half", {"theme/css/hub.css": "x"})
    target = S3Target(bucket, endpoint_url=s3_endpoint)

    for folder, found in ((empty, "ein leerer Ordner"), (half, "1 Datei, aber keine index.html")):
        expected = f"{folder}: erwartet: eine fertig erzeugte Website mit index.html; gefunden: {found}"
        with pytest.raises(DeployError, match=re.escape(expected)):
            deploy(target, folder)
    with pytest.raises(DeployError, match="gefunden: kein Ordner"):
        deploy(target, tmp_path / "missing")
    assert keys(s3, bucket) == ["index.html"]


# --- a local folder ----------------------------------------------------------------------


def files_in(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_directory_deploys_copies_then_does_nothing_then_follows_changes(build: Path, tmp_path: Path):
    live = tmp_path / "live"
    target = DirectoryTarget(live)

    first = deploy(target, build)
    assert sorted(first.uploaded) == sorted(SITE) and files_in(live) == files_in(build)
    assert stat.S_IMODE((live / "index.html").stat().st_mode) == 0o644

    again = deploy(target, build)
    assert (again.uploaded, again.changed, again.deleted, again.unchanged) == ((), (), (), len(SITE))

    (build / "theme/css/hub.css").write_text("body { color: navy }", encoding="utf-8")
    shutil.rmtree(build / "2026")
    changed = deploy(target, build)
    assert changed.changed == ("theme/css/hub.css",) and changed.deleted == (POST,) and not changed.uploaded
    assert files_in(live) == files_in(build)
    assert not (live / "2026").exists(), "emptied folders are removed"
    assert not [p for p in live.rglob("*") if p.name.endswith(".tmp")], "no temporary file is left"


def test_directory_writes_before_it_deletes_and_pages_after_assets(
    monkeypatch: pytest.MonkeyPatch, build: Path, tmp_path: Path
):
    live = write_site(tmp_path / "live", {"alt.html": "old", "index.html": "old"})
    calls: list[tuple[str, str]] = []
    replace, unlink = os.replace, os.unlink

    def recording_replace(source: Any, destination: Any) -> None:
        calls.append(("put", Path(destination).relative_to(live).as_posix()))
        replace(source, destination)

    def recording_unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if Path(path).is_relative_to(live) and not Path(path).name.endswith(".tmp"):
            calls.append(("delete", Path(path).relative_to(live).as_posix()))
        unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "replace", recording_replace)
    monkeypatch.setattr(os, "unlink", recording_unlink)

    deploy(DirectoryTarget(live), build)

    assert calls[-1] == ("delete", "alt.html")
    puts = [path for operation, path in calls if operation == "put"]
    assert puts == upload_order(SITE)
    assert puts.index("theme/css/hub.css") < puts.index("index.html") < puts.index("sitemap.xml")


def test_directory_dry_run_changes_nothing(build: Path, tmp_path: Path):
    live = write_site(tmp_path / "live", {"alt.html": "old"})

    report = deploy(DirectoryTarget(live), build, dry_run=True)

    assert report.deleted == ("alt.html",) and len(report.uploaded) == len(SITE)
    assert files_in(live) == {"alt.html": b"old"}


def test_directory_a_page_may_become_a_folder_and_back(tmp_path: Path):
    live = tmp_path / "live"
    target = DirectoryTarget(live)
    deploy(target, write_site(tmp_path / "one", {"index.html": "i", "ueber": "page"}))

    deploy(target, write_site(tmp_path / "two", {"index.html": "i", "ueber/index.html": "page"}))
    assert files_in(live) == {"index.html": b"i", "ueber/index.html": b"page"}

    deploy(target, write_site(tmp_path / "three", {"index.html": "i", "ueber": "page"}))
    assert files_in(live) == {"index.html": b"i", "ueber": b"page"}


def test_directory_refuses_a_folder_nested_with_the_build(build: Path):
    for folder in (build, build / "deploy", build.parent):
        with pytest.raises(DeployError, match="erwartet: ein Ordner getrennt von der erzeugten Website"):
            deploy(DirectoryTarget(folder), build)


# --- rsync ---------------------------------------------------------------------------------


ITEMIZED = """\
>f+++++++++ neu.html
cd+++++++++ 2026/
>f+++++++++ 2026/post/index.html
>fcs....... theme/css/hub.css
.f..t...... index.html
.d..t...... theme/
*deleting   alt/seite.html
*deleting   alt/
cL+++++++++ link -> index.html
"""


def test_rsync_plan_is_read_from_its_itemized_dry_run():
    local = {
        path: LocalFile(1, "0") for path in ("neu.html", "2026/post/index.html", "theme/css/hub.css", "index.html")
    }

    plan = parse_itemized(ITEMIZED, local)

    assert plan == DeployPlan(
        upload_new=["2026/post/index.html", "neu.html"],
        upload_changed=["theme/css/hub.css"],
        delete=["alt/seite.html"],
        unchanged=["index.html"],
    )


def test_rsync_missing_says_so(monkeypatch: pytest.MonkeyPatch, build: Path, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))

    with pytest.raises(DeployError, match=r"^rsync ist nicht installiert"):
        deploy(RsyncTarget(str(tmp_path / "live")), build)


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")
def test_rsync_deploys_to_a_local_folder(build: Path, tmp_path: Path):
    live = write_site(tmp_path / "live", {"alt.html": "old"})
    target = RsyncTarget(str(live))

    dry = deploy(target, build, dry_run=True)
    assert dry.deleted == ("alt.html",) and files_in(live) == {"alt.html": b"old"}

    build.chmod(0o700)  # as a temporary folder is made
    report = deploy(target, build)
    assert sorted(report.uploaded) == sorted(SITE) and files_in(live) == files_in(build)
    assert stat.S_IMODE(live.stat().st_mode) == 0o755, "the web server can read the site"
    assert deploy(target, build).unchanged == len(SITE)


# --- the plan, the headers and the report, directly ----------------------------------------


def test_plan_compares_content_not_times():
    local = {
        "a.html": LocalFile(3, "aaa", "m-a"),
        "b.css": LocalFile(3, "bbb", "m-b"),
        "c.js": LocalFile(3, "ccc", "m-c"),
        "d.png": LocalFile(4, "ddd", "m-d"),
        "e.txt": LocalFile(3, "eee", "m-e"),
        "f.txt": LocalFile(3, "fff", "m-f"),
    }
    remote = {
        "b.css": RemoteFile(3, sha256="bbb"),  # same
        "c.js": RemoteFile(3, sha256="old"),  # changed
        "d.png": RemoteFile(5, sha256="ddd"),  # a size that differs wins over a hash
        "e.txt": RemoteFile(3, md5="m-e"),  # no metadata: the MD5 ETag decides
        "f.txt": RemoteFile(3),  # nothing known: sent again
        "z.html": RemoteFile(1, sha256="zzz"),  # gone from the build
    }

    plan = compute_plan(local, remote)

    assert plan == DeployPlan(
        upload_new=["a.html"],
        upload_changed=["c.js", "d.png", "f.txt"],
        delete=["z.html"],
        unchanged=["b.css", "e.txt"],
    )
    assert plan.uploads == ["c.js", "d.png", "f.txt", "a.html"]
    assert not plan.is_empty and compute_plan({}, {}).is_empty


def test_upload_order_puts_hashed_files_and_assets_before_pages_before_announcements():
    paths = [
        "sitemap.xml",
        "index.html",
        "pagefind/pagefind-entry.json",
        "pagefind/pagefind.de_1234.pf_meta",
        "theme/css/hub.css",
        "feeds/alle.atom.xml",
        "images/a.webp",
        "a/index.html",
        # One bundle per shard of the search index: each entry names that shard's current index.
        "pagefind/de-2025/pagefind-entry.json",
        "pagefind/de-2025/pagefind.de_5678.pf_meta",
    ]

    assert upload_order(paths) == [
        "pagefind/de-2025/pagefind.de_5678.pf_meta",
        "pagefind/pagefind.de_1234.pf_meta",
        "images/a.webp",
        "theme/css/hub.css",
        "a/index.html",
        "index.html",
        "feeds/alle.atom.xml",
        "pagefind/de-2025/pagefind-entry.json",
        "pagefind/pagefind-entry.json",
        "sitemap.xml",
    ]


@pytest.mark.parametrize(
    ("path", "kind", "caching"),
    [
        ("index.html", "text/html; charset=utf-8", SHORT),
        ("2026/11/post/index.html", "text/html; charset=utf-8", SHORT),
        ("theme/css/hub.css", "text/css; charset=utf-8", SHORT),
        ("theme/js/hub.js", "text/javascript; charset=utf-8", SHORT),
        ("feeds/alle.atom.xml", "application/atom+xml; charset=utf-8", SHORT),
        ("feeds/en.rss.xml", "application/rss+xml; charset=utf-8", SHORT),
        ("sitemap.xml", "application/xml", SHORT),
        ("teaser/linkedin.xml", "application/xml", SHORT),
        ("robots.txt", "text/plain; charset=utf-8", SHORT),
        ("redaktion/redaktionsplan.ics", "text/calendar; charset=utf-8", SHORT),
        ("theme/img/logo.svg", "image/svg+xml", SHORT),
        ("theme/fonts/inter.woff2", "font/woff2", SHORT),
        ("favicon.ico", "image/x-icon", SHORT),
        ("images/posts/motor-960.webp", "image/webp", IMAGES),
        ("images/team/jweber.JPG", "image/jpeg", IMAGES),
        ("images/cards/post.png", "image/png", IMAGES),
        ("images/anim.gif", "image/gif", IMAGES),
        ("pagefind/pagefind.js", "text/javascript; charset=utf-8", SHORT),
        ("pagefind/pagefind-entry.json", "application/json", SHORT),
        ("pagefind/wasm.de.pagefind", "application/octet-stream", SHORT),
        ("pagefind/pagefind.wasm", "application/wasm", SHORT),
        ("pagefind/pagefind.de_606fbee918.pf_meta", "application/octet-stream", LONG),
        ("pagefind/index/de_cda1322.pf_index", "application/octet-stream", LONG),
        ("pagefind/fragment/de_c63f408.pf_fragment", "application/octet-stream", LONG),
        ("pagefind/filter/de_1a2b3c4.pf_filter", "application/octet-stream", LONG),
        ("downloads/data.bin", "application/octet-stream", SHORT),
        ("LIESMICH", "application/octet-stream", SHORT),
    ],
)
def test_headers_per_kind_of_file(path: str, kind: str, caching: str):
    assert (content_type(path), cache_control(path)) == (kind, caching)


def test_report_counts_and_sizes():
    report = DeployReport("deploy", False, ("a.html",), ("b.css",), ("c.html",), 7, 1_234_567)

    assert format_report(report) == (
        "publish: veröffentlicht nach deploy: 1 neu, 1 geändert, 1 gelöscht, 7 unverändert; 1,2 MB übertragen"
    )
    assert [human_size(n) for n in (0, 999, 1000, 999_949, 2_500_000_000, 10**16)] == [
        "0 B",
        "999 B",
        "1,0 kB",
        "999,9 kB",
        "2,5 GB",
        "10000,0 TB",
    ]


def test_the_report_in_english() -> None:
    i18n.use_language("en")
    report = DeployReport("deploy", False, ("a.html",), ("b.css",), ("c.html",), 7, 1_234_567)
    assert format_report(report) == "publish: deployed to deploy: 1 new, 1 changed, 1 deleted, 7 unchanged; 1.2 MB sent"
    dry = DeployReport("deploy", True, ("a.html",), (), ("c.html",), 1, 999)
    assert format_report(dry).splitlines() == [
        "publish: dry run, nothing sent to deploy",
        "  would upload  a.html",
        "  would delete  c.html",
        "1 new, 0 changed, 1 deleted, 1 unchanged; 999 B to send",
    ]
    with pytest.raises(DeployConfigError) as caught:
        target_from_settings({"HUB_DEPLOY": {"target": "directory", "path": 3}}, {})
    assert str(caught.value) == "publishconf.py: HUB_DEPLOY.path: expected text, found int 3"


# --- Progress in CI: a line now and then, never one per file -------------------------------

MANY = {"index.html": "<!doctype html>", **{f"2026/{n:03}/index.html": f"Beitrag {n}" for n in range(299)}}


def progress_lines(output: str, label: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{label}: ")]


def test_a_deploy_to_a_folder_in_ci_reports_progress_in_a_few_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("CI", "true")
    build = write_site(tmp_path / "build", MANY)
    target = DirectoryTarget(tmp_path / "live")

    deploy(target, build)

    err = capsys.readouterr().err
    uploads = progress_lines(err, "Hochladen")
    assert uploads[-1] == "Hochladen: 300/300 Dateien" and 5 <= len(uploads) <= 11, err
    assert progress_lines(err, "Erzeugte Website lesen")[-1] == "Erzeugte Website lesen: 300/300 Dateien"
    assert len(err.splitlines()) <= 3 * 11, "a line per file"

    shutil.rmtree(build / "2026")
    deploy(target, write_site(build, {"2026/neu/index.html": "neu"}))

    err = capsys.readouterr().err
    assert (
        progress_lines(err, "Veröffentlichte Dateien prüfen")[-1] == "Veröffentlichte Dateien prüfen: 300/300 Dateien"
    )
    deletes = progress_lines(err, "Löschen")
    assert deletes[-1] == "Löschen: 299/299 Dateien" and 5 <= len(deletes) <= 11, err
    assert progress_lines(err, "Hochladen") == ["Hochladen: 1/1 Dateien"]
    assert len(err.splitlines()) <= 4 * 11, "a line per file"


def test_a_deploy_to_s3_in_ci_reports_progress_in_a_few_lines(
    s3: Any,
    bucket: str,
    s3_endpoint: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("CI", "true")
    i18n.use_language("en")
    build = write_site(tmp_path / "build", MANY)
    target = S3Target(bucket, endpoint_url=s3_endpoint)

    deploy(target, build)

    assert len(keys(s3, bucket)) == 300
    err = capsys.readouterr().err
    uploads = progress_lines(err, "Uploading")
    assert uploads[-1] == "Uploading: 300/300 files" and 2 <= len(uploads) <= 11, err
    counts = [int(line.split()[1].split("/")[0]) for line in uploads]
    assert counts == sorted(counts) and len(set(counts)) == len(counts)  # counted across the parallel uploads
    assert len(err.splitlines()) <= 2 * 11, "a line per file"


# --- HUB_DEPLOY ------------------------------------------------------------------------------


def test_settings_default_is_a_folder_beside_the_project(tmp_path: Path):
    target = target_from_settings({}, {}, base=tmp_path)

    assert isinstance(target, DirectoryTarget) and target.path == tmp_path / "deploy"


def test_settings_for_each_target(tmp_path: Path):
    environ = {"HUB_S3_ENDPOINT": "https://s3.example.com", "HUB_RSYNC_DEST": "deploy@web1:/var/www/blog"}
    s3 = target_from_settings(
        {
            "HUB_DEPLOY": {
                "target": "s3",
                "bucket": "blog-example",
                "prefix": "",
                "endpoint_url_env": "HUB_S3_ENDPOINT",
                "region": "eu-central-1",
            }
        },
        environ,
    )
    rsync = target_from_settings({"HUB_DEPLOY": {"target": "rsync", "destination_env": "HUB_RSYNC_DEST"}}, environ)
    folder = target_from_settings({"HUB_DEPLOY": {"target": "directory", "path": "public"}}, environ, base=tmp_path)

    assert isinstance(s3, S3Target)
    assert (s3.bucket, s3.prefix, s3.endpoint_url, s3.region) == (
        "blog-example",
        "",
        "https://s3.example.com",
        "eu-central-1",
    )
    assert isinstance(rsync, RsyncTarget) and rsync.destination == "deploy@web1:/var/www/blog"
    assert isinstance(folder, DirectoryTarget) and folder.path == tmp_path / "public"


def problems(settings: dict[str, Any], environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(DeployConfigError) as caught:
        target_from_settings({"HUB_DEPLOY": settings}, environ or {})
    return str(caught.value).splitlines()


def test_settings_errors_name_the_file_and_key_and_are_all_collected():
    assert problems({"target": "rsynch"}) == [
        "publishconf.py: HUB_DEPLOY.target: erwartet: eines von s3, rsync, directory (Meinten Sie „rsync“?); "
        "gefunden: 'rsynch'"
    ]
    assert problems({"bucket": "x"})[0].endswith("gefunden: das Feld fehlt")
    found = problems({"target": "s3", "buckt": "blog", "region": "EU Central", "endpoint_url_env": "HUB_S3_ENDPOINT"})
    assert found == [
        "publishconf.py: HUB_DEPLOY.buckt: unbekanntes Feld (Meinten Sie „bucket“?) für ein Ziel vom Typ s3; "
        "bekannte Felder: "
        "target, bucket, prefix, region, endpoint_url, bucket_env, prefix_env, region_env, endpoint_url_env",
        "publishconf.py: HUB_DEPLOY.bucket: erwartet: 'bucket' oder 'bucket_env'; gefunden: keines von beiden",
        "publishconf.py: HUB_DEPLOY.endpoint_url_env: erwartet: die Umgebungsvariable HUB_S3_ENDPOINT ist gesetzt; "
        "gefunden: nicht gesetzt oder leer",
        "publishconf.py: HUB_DEPLOY.region: erwartet: eine Region wie eu-central-1; gefunden: 'EU Central'",
    ]
    assert problems({"target": "s3", "bucket": "Blog_Bucket", "prefix": "../x"}) == [
        "publishconf.py: HUB_DEPLOY.bucket: erwartet: ein Bucket-Name aus 3 bis 63 Kleinbuchstaben, Ziffern, "
        "'.' und '-'; gefunden: 'Blog_Bucket'",
        "publishconf.py: HUB_DEPLOY.prefix: erwartet: ein Ordner im Bucket wie 'blog' (oder '' für den ganzen "
        "Bucket); gefunden: '../x'",
    ]
    assert problems({"target": "rsync", "destination": "web1:"})[0].startswith(
        "publishconf.py: HUB_DEPLOY.destination: erwartet: ein eigener Ordner der Website"
    )
    assert problems({"target": "directory", "path": 3}) == [
        "publishconf.py: HUB_DEPLOY.path: erwartet: Text; gefunden: int 3"
    ]
    assert problems(["s3"])[0].startswith("publishconf.py: HUB_DEPLOY: erwartet: ein dict")  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["aws_secret_access_key", "aws_access_key_id", "password", "token", "Secret"])
def test_settings_refuse_secrets_without_repeating_them(key: str):
    found = problems({"target": "s3", "bucket": "blog-example", key: "hunter2-secret-value"})

    assert len(found) == 1 and found[0].startswith(f"publishconf.py: HUB_DEPLOY.{key}: erwartet: kein Geheimnis")
    assert "AWS_SECRET_ACCESS_KEY" in found[0] and "hunter2" not in found[0]


def test_settings_do_not_echo_values_read_from_the_environment():
    environ = {"HUB_S3_ENDPOINT": "https://user:hunter2@s3.example.com"}

    found = problems({"target": "s3", "bucket": "blog-example", "endpoint_url_env": "HUB_S3_ENDPOINT"}, environ)

    assert found == [
        "publishconf.py: HUB_DEPLOY.endpoint_url_env: erwartet: eine Adresse ohne Benutzer und Passwort "
        "(S3-Zugangsdaten gehören in Umgebungsvariablen); gefunden: der Wert von HUB_S3_ENDPOINT"
    ]
