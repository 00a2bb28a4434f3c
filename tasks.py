"""The user's menu: `invoke --list`. Each task has a one-line docstring."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

from invoke import task
from invoke.exceptions import Exit

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from hub_core.i18n import translator_at  # noqa: E402  (found through the line above)

# The menu's texts, in the language of HUB_LANG (German by default): `invoke --list` and `--help`
# are shown before any settings are read. What a task prints follows the settings (_settings).
_, ngettext = translator_at(ROOT / "locale", "tasks")

DEV_CONF = ROOT / "pelicanconf.py"
PROD_CONF = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"


def _menu(line: str):
    """A task's line in `invoke --list` (its docstring), in the reader's language."""

    def describe(body):
        body.__doc__ = line
        return body

    return describe


def _stops_here(body):
    """The top of every task: Hub's own errors (hub_core.errors.HubError: a setting, the ledger, a deploy)
    end it with their message, no traceback, and their exit code (2: configuration)."""

    @functools.wraps(body)
    def run(c, *args, **kwargs):
        from hub_core.errors import HubError

        try:
            return body(c, *args, **kwargs)
        except HubError as error:
            raise Exit(f"{error.topic}: {error}" if error.topic else str(error), code=error.exitcode) from None

    return run


def _settings(prod: bool, **overrides):
    from hub_core.i18n import use_language_of
    from pelican.settings import read_settings

    settings = read_settings(str(PROD_CONF if prod else DEV_CONF), override=overrides or None)
    use_language_of(settings)  # the task's messages, and those of the processes it starts
    return settings


def _output(prod: bool) -> Path:
    """Where a build goes: OUTPUT_PATH of pelicanconf.py (output/, the preview's) or publishconf.py (output-prod/)."""
    from pelican.settings import read_settings

    try:
        return Path(read_settings(str(PROD_CONF if prod else DEV_CONF))["OUTPUT_PATH"])
    except Exception:
        # A broken settings file: the build below reports it as one line (hub_core.run_pelican), so
        # here only the folder is needed, and the one the file would name by default will do.
        return ROOT / ("output-prod" if prod else "output")


def _pelican(c, prod: bool, *, debug: bool = False) -> None:
    """Run Pelican with our build log (hub_core/build_log.py) and exit with its status.

    Any logged error fails the build (--fatal errors), development or production. At a terminal
    Pelican gets one (pty) and stays pretty; without one (CI) every problem is one plain line.
    """
    import shlex

    from hub_preview.build import pelican_command

    command = pelican_command(ROOT / "content", _output(prod), PROD_CONF if prod else DEV_CONF, debug=debug)
    result = c.run(shlex.join(command), pty=sys.stdout.isatty(), warn=True, env={"PYTHONPATH": _pythonpath()})
    if not result.ok:
        # Pelican said what went wrong; invoke would only add its own report of the exit code.
        raise Exit(code=result.exited or 1)


def _pythonpath() -> str:
    return os.pathsep.join(p for p in (str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")) if p)


def _paths(content: str | None, calendar: str | None) -> dict[str, str]:
    overrides = {}
    if content:
        overrides["PATH"] = str(Path(content).resolve())
    if calendar:
        overrides["HUB_CALENDAR"] = str(Path(calendar).resolve())
    return overrides


@task(
    help={
        "prod": _("use production settings (publishconf.py)"),
        "debug": _("Pelican's debug log (-D), with the traceback of every error"),
    }
)
@_stops_here
@_menu(_("Build the site into output/ (or with --prod into output-prod/); a failed build leaves it as it was."))
def build(c, prod=False, debug=False):
    _pelican(c, prod, debug=debug)


@task(
    help={
        "port": _("port to serve on (default 8000)"),
        "prod": _("preview with production settings (publishconf.py): what would go live"),
        "content": _("content folder to preview instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
        "inbox": _("serve the comment inbox under /dialog/ too (default; --no-inbox: the pages only)"),
    }
)
@_stops_here
@_menu(_("Preview on http://localhost:8000: rebuilds when you save, open pages reload themselves."))
def serve(c, port=8000, prod=False, content=None, calendar=None, inbox=True):
    from hub_content.pelican_settings import calendar_file
    from hub_preview.build import pelican_command
    from hub_preview.quick import QuickRenderer
    from hub_preview.server import Preview, PreviewConfig
    from hub_preview.watch import Sources

    overrides: dict[str, object] = dict(_paths(content, calendar))
    settings = _settings(prod, **overrides)
    if prod:  # production's absolute addresses, here pointing at the preview
        overrides["SITEURL"] = f"http://localhost:{int(port)}"
    sources = Sources(
        content=Path(settings["PATH"]),
        calendar=calendar_file(settings),
        theme=Path(settings["THEME"]),
        settings=(DEV_CONF, PROD_CONF),
        plugins=ROOT / "plugins",
        written=(OUTPUT, _output(True), Path(settings["CACHE_PATH"])),
    )
    # Always into output/ (the preview's folder), also with --prod: output-prod/ is what gets deployed.
    command = pelican_command(sources.content, OUTPUT, PROD_CONF if prod else DEV_CONF, overrides)
    environ = {**os.environ, "PYTHONPATH": _pythonpath()}
    service = _preview_inbox(_settings(False, **_paths(content, calendar)), int(port)) if inbox else None
    mounted = None
    if service is not None:
        from hub_preview.mount import Mount

        prefix = service.application.config.prefix
        mounted = Mount(prefix, service.application, moderation=service.moderation.base)
    # With --prod the gate holds a post whose approval an edit made stale: a quick page would show
    # text the rebuild then takes off the site. Quick pages are for development.
    quick = None if prod else QuickRenderer(DEV_CONF, sources.content, OUTPUT, overrides, watched=sources.settings)
    config = PreviewConfig(
        sources, OUTPUT, command, cwd=ROOT, port=int(port), environ=environ, inbox=mounted, quick=quick
    )
    try:
        Preview(config).serve_until_interrupted()
    finally:
        if service is not None:
            service.store.close()


def _preview_inbox(settings, port: int):
    """The comment inbox inside the preview, with the development settings: the posts file of the
    preview's output/, the database of HUB_INBOX_DATABASE (var/, git-ignored; None: no inbox)."""
    from hub_dialogue.wsgi import build as build_inbox
    from hub_inbox.options import configured_database

    if configured_database(settings) is None:
        return None
    origins = (f"http://localhost:{port}", f"http://127.0.0.1:{port}")  # the pages' origin, also by this name
    return build_inbox({**settings, "OUTPUT_PATH": str(OUTPUT)}, os.environ, extra_origins=origins)


@task
@_stops_here
@_menu(_("Remove output/, output-prod/ and the caches."))
def clean(c):
    # With the folders a killed build left beside them (fast_clean: .output.building-*, .output.deleting-*).
    outputs = (OUTPUT, _output(True))
    leftovers = sorted(p for output in outputs for p in ROOT.glob(f".{output.name}.*-*"))
    for folder in (*outputs, *leftovers, ROOT / "cache"):
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
            shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
            print(_("removed {folder}/").format(folder=shown))


@task(
    help={
        "strict": _("treat warnings as errors"),
        "prod": _("check with production settings (publishconf.py)"),
        "format": _("text (default) or json"),
        "content": _("content folder to check instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_stops_here
@_menu(_("Validate all posts, pages, the calendar and the review gate without rendering; exit 1 on errors."))
def check(c, strict=False, prod=False, format="text", content=None, calendar=None):
    site_check, _result, report = _judge(prod, strict, None, content, calendar)
    if format == "json":
        print(report.to_json())
    else:
        from hub_core.findings import Finding, is_ci, render_for_ci

        # At a terminal a YAML mistake shows its line with a marker under it; in CI one line each.
        render = render_for_ci if is_ci(os.environ, isatty=sys.stdout.isatty()) else Finding.render_for_terminal
        for finding in report.findings:
            print(render(finding))
        print(report.summary(site_check.files_checked), file=sys.stderr)
    if report.errors:
        raise Exit(code=1)


@task(
    help={
        "title": _("title of the post"),
        "author": _("team id of the author (see editorial_calendar.yaml)"),
        "category": _("category (default: Allgemein)"),
        "lang": _("language (default: de)"),
        "date": _("publication date and time, e.g. '2026-12-01 09:00' (default: next working day 09:00)"),
        "content": _("content folder to write into instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_stops_here
@_menu(_('Scaffold a post with valid front matter: invoke new "Titel" --author jdoe.'))
def new(c, title, author, category="Allgemein", lang="de", date=None, content=None, calendar=None):
    from hub_content.pelican_settings import content_settings
    from hub_content.scaffold import ScaffoldError, scaffold_post

    settings = content_settings(_settings(False, **_paths(content, calendar)))
    try:
        path = scaffold_post(settings, title=title, author=author, category=category, lang=lang, when=date)
    except ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    print(_("created {file}").format(file=path.relative_to(ROOT) if path.is_relative_to(ROOT) else path))


def _now(value: str | None, zone):
    """'now' for the review: the real clock, or a given moment (to see the plan as of another day)."""
    if not value:
        return datetime.now(zone)
    from hub_core.dates import parse_when

    moment = parse_when(value, zone)
    if moment is None:
        raise Exit(
            _("--now: expected a date such as 2026-11-23 or '2026-11-23 09:00', found '{found}'").format(found=value),
            code=2,
        )
    return moment


def _judge(prod: bool, strict: bool, now: str | None, content: str | None, calendar: str | None):
    """What a build with these settings decides before rendering: the one engine of check, review and build."""
    from hub_content.pelican_settings import content_settings
    from hub_core.settings_check import check_settings
    from hub_review.runner import judge_site

    configured = _settings(prod, **_paths(content, calendar))
    # The HUB_* settings of the plugins in PLUGINS, as the build judges them when it starts.
    check_settings(
        configured, lambda warning: print(_("warning: settings: {warning}").format(warning=warning), file=sys.stderr)
    )
    settings = content_settings(configured, strict=strict or None, display_root=Path.cwd())
    return judge_site(settings, lambda zone: _now(now, zone), os.environ)


def _gate(strict: bool, now: str | None, content: str | None, calendar: str | None):
    # The production view: what would go live, with production's check levels.
    site_check, result, report = _judge(True, strict, now, content, calendar)
    return result, report, site_check


@task(
    help={
        "strict": _("exit 1 on warnings too (the pull-request check)"),
        "format": _("text (default) or json"),
        "now": _("review as of this moment instead of now, e.g. '2026-11-23 09:00'"),
        "content": _("content folder to review instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_stops_here
@_menu(_("Editors' view: every post's state, approvals, the plan and cadence; exit 1 on errors."))
def review(c, strict=False, format="text", now=None, content=None, calendar=None):
    from hub_core.findings import Level, is_ci
    from hub_review.approval import proof_notice
    from hub_review.table import print_rich, render_json, render_text

    result, report, _site_check = _gate(strict, now, content, calendar)
    if format == "json":
        print(render_json(result, report))
    elif is_ci(os.environ, isatty=sys.stdout.isatty()):
        print(render_text(result, report))  # one row per line, whatever the width: logs and grep
    else:
        print_rich(result, report)
    notice = proof_notice(result.calendar)
    if notice:
        print(f"{Level.WARNING.shown()}: {notice}", file=sys.stderr)
    if format != "json":
        _print_overdue(result, content, calendar)
        errors, warnings = len(report.errors), len(report.warnings)
        counts = (
            ngettext("{count} error", "{count} errors", errors).format(count=errors),
            ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
        )
        print(", ".join(counts), file=sys.stderr)
    if report.errors:
        raise Exit(code=1)


def _print_overdue(result, content: str | None, calendar: str | None) -> None:
    """The inbox's comments past their response deadline, after the review table; nothing without a database."""
    from hub_dialogue.deadlines import read_deadlines
    from hub_inbox.options import configured_database
    from hub_review.readable import member_name, moment

    settings = _settings(True, **_paths(content, calendar))
    default_lang = settings.get("DEFAULT_LANG") or "de"
    posts = {
        f"{post.item.lang or default_lang}/{post.slug}": (post.item.title or "", post.item.category or "")
        for post in result.posts
    }
    found = read_deadlines(configured_database(settings), result.calendar, posts, result.now)
    if found.problem:
        print(
            _("warning: the inbox's database {path} cannot be read: {problem}").format(
                path=found.database, problem=found.problem
            ),
            file=sys.stderr,
        )
    if not found.overdue:
        return
    zone = result.calendar.timezone
    count = len(found.overdue)
    print(
        ngettext("{count} comment past its deadline:", "{count} comments past their deadline:", count).format(
            count=count
        )
    )
    for late in found.overdue:
        print(
            _("   {post}: {item} ({source}) for {to}, due {deadline}").format(
                post=late.title or late.post,
                item=late.item,
                source=late.source,
                to=member_name(result.calendar, late.to) if late.to else "–",
                deadline=moment(late.deadline.astimezone(zone)),
            )
        )


@task(
    help={
        "path": _("the post to approve, e.g. content/posts/2026/mein-beitrag.md"),
        "as": _("your team id from editorial_calendar.yaml (an editor, not an author of the post)"),
        "commit": _("commit the approval (only this file) as your git identity, signed if the calendar asks for it"),
        "content": _("content folder instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_stops_here
@_menu(_("Four-eyes sign-off: invoke approve content/posts/…/post.md --as <editor-id> [--commit]."))
def approve(c, path, as_, content=None, calendar=None, commit=False):
    from hub_content.pelican_settings import content_settings
    from hub_review.approve import ApprovalRefused, CommitFailed, approve_post

    settings = content_settings(_settings(True, **_paths(content, calendar)), display_root=Path.cwd())
    file = Path(path).resolve()
    if not file.is_file():
        raise Exit(_("{path}: expected a post file, found none").format(path=path), code=1)
    try:
        outcome = approve_post(file, as_, datetime.now().astimezone(), settings, commit=commit)
    except (ApprovalRefused, CommitFailed) as refused:
        raise Exit(str(refused), code=1) from None
    print(outcome.message)


@task(
    help={
        "output": _("folder to write into (default: output/redaktion)"),
        "now": _("as of this moment instead of now, e.g. '2026-11-23 09:00'"),
        "content": _("content folder instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_stops_here
@_menu(_("Write the editorial plan as .ics (for Outlook/Google) and an HTML dashboard."))
def calendar(c, output=None, now=None, content=None, calendar=None):
    from hub_core.options import read
    from hub_review.options import UID_DOMAIN
    from hub_review.outputs import write_editorial_outputs

    result, report, _site_check = _gate(False, now, content, calendar)
    settings = _settings(True)
    folder = Path(output) if output else OUTPUT / "redaktion"
    ics, page = write_editorial_outputs(
        result,
        folder,
        site_name=settings.get("SITENAME", ""),
        uid_domain=read(UID_DOMAIN, settings) or "localhost",
        findings=report.findings,
    )
    slots = len(result.slots)
    wrote = ngettext("wrote {ics} ({count} plan slot) and {page}", "wrote {ics} ({count} plan slots) and {page}", slots)
    print(wrote.format(ics=ics, count=slots, page=page))


@task(
    help={
        "posts": _("number of generated posts (default 5000)"),
        "cases": _("comma-separated cases to run (default: all), e.g. review"),
        "keep": _("generate into (or reuse) this folder instead of a temporary one"),
        "images": _("number of camera-size photos for the images case (default 50)"),
        "lines": _("lines of generated access log for the stats case (default 2000000)"),
    }
)
@_stops_here
@_menu(_("Benchmark against plain Pelican on a generated site: prints speed ratios, never fails on them."))
def bench(c, posts=5000, cases="", keep=None, images=50, lines=2_000_000):
    command = f'"{sys.executable}" "{ROOT / "bench" / "run.py"}" --posts {int(posts)} --images {int(images)}'
    command += f" --lines {int(lines)}"
    if cases:
        command += f' --cases "{cases}"'
    if keep:
        command += f' --keep "{Path(keep).resolve()}"'
    c.run(command, pty=False)


def _stopped(window) -> str:
    """Why nothing is cross-posted: the crisis switch, or a freeze of the editorial calendar."""
    if window.crisis:
        return _("STOPPED: the crisis switch is on ({reason}): nothing is cross-posted").format(reason=window.reason)
    return _("STOPPED: publication freeze {start} – {end} ({reason}): nothing is cross-posted").format(
        start=window.start.strftime("%Y-%m-%d %H:%M"),
        end=window.end.strftime("%Y-%m-%d %H:%M") if window.end else _("until lifted"),
        reason=window.reason,
    )


def _print_crosspost(report, dry_run: bool) -> None:
    """The run, channel by channel. Teaser texts are the posts' content, shown as sent, never translated."""
    if report.stopped is not None:
        print(_stopped(report.stopped))
        return
    for run in report.channels:
        print(f"== {run.channel}" + (f"  ({run.note})" if run.note else ""))
        if run.error:
            print(_("   not run: {error}").format(error=run.error))
        for teaser, post in zip(run.planned, run.planned_posts, strict=True):
            short = _(", shortened") if teaser.shortened else ""
            print(f"-- {post.key}  ({teaser.length}/{teaser.limit}{short})")
            print("\n".join("   " + line for line in teaser.text.splitlines()))
        for key, url in run.posted:
            if url:
                print(_("   posted {post} {url}").format(post=key, url=url))
            else:  # the platform had it already (the ledger records it as posted)
                print(_("   posted {post} (the platform already had it)").format(post=key))
        for key, error in run.failed:
            print(_("   FAILED {post}: {error}").format(post=key, error=error))
        for key, why in run.waiting:
            print(_("   WAITING {post}: {why}").format(post=key, why=why))
        if run.later:
            print(
                ngettext(
                    "   {count} more due: next run (max_per_run)",
                    "   {count} more due: next run (max_per_run)",
                    run.later,
                ).format(count=run.later)
            )
        if not (run.planned or run.posted or run.failed or run.waiting or run.error):
            print(_("   nothing new"))


@task(
    help={
        "dry_run": _("show what each channel would receive (and its length as the platform counts it); send nothing"),
        "channel": _("only this channel"),
        "resolve": _("settle an uncertain entry: <post>@<channel>=posted|retry|skip"),
        "now": _("as of this moment instead of now"),
        "ledger": _("ledger file (default HUB_CROSSPOST_LEDGER, else data/crosspost-ledger.jsonl beside content/)"),
        "content": _("content folder instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_menu(_("Post teasers of newly published posts to the calendar's channels, exactly once."))
@_stops_here
def crosspost(c, dry_run=False, channel=None, resolve=None, now=None, ledger=None, content=None, calendar=None):
    from hub_content.pelican_settings import content_settings
    from hub_crosspost import compose_for
    from hub_crosspost.channels import CHANNELS
    from hub_crosspost.ledger import Ledger, ledger_file
    from hub_crosspost.runner import Services, run_channels
    from hub_crosspost.runner import resolve as resolve_entry
    from hub_crosspost.sources import published_posts

    settings = _settings(True, **_paths(content, calendar))
    book = Ledger.load(Path(ledger) if ledger else ledger_file(settings))
    if resolve:
        try:
            entry = resolve_entry(book, resolve, datetime.now().astimezone())
        except ValueError as error:
            raise Exit(str(error), code=2) from None
        print(f"{entry.post}@{entry.channel}: {entry.reason}")
        return
    result, _report, site_check = _gate(False, now, content, calendar)
    if site_check.report.errors:
        raise Exit(_("the content has errors (invoke check): nothing is cross-posted"), code=1)
    channels = [c for c in result.calendar.section(CHANNELS).values() if channel in (None, c.name)]
    if channel and not channels:
        names = ", ".join(result.calendar.section(CHANNELS))
        raise Exit(
            _("--channel: expected one of {names}, found '{channel}'").format(names=names, channel=channel), code=2
        )
    from hub_crosspost.clients import credentials_from_env, make_client
    from hub_crosspost.http import RetryPolicy

    # Slow corporate proxies: the read timeout can be raised (or lowered) without a code change.
    policy = RetryPolicy(read_timeout=float(os.environ.get("HUB_HTTP_READ_TIMEOUT", "20")))

    services = Services(
        compose=compose_for,
        make_client=lambda config, credentials: make_client(config, credentials, policy=policy),
        read_credentials=credentials_from_env,
        environ=os.environ,
    )
    outcome = run_channels(
        channels,
        published_posts(result, settings, content_settings(settings)),
        book,
        result.now,
        services,
        stop=result.crossposting_stop(),
        dry_run=dry_run,
    )
    _print_crosspost(outcome, dry_run)
    if not dry_run:
        print(_("ledger: {path} (commit it)").format(path=book.path), file=sys.stderr)
    if not outcome.ok:
        raise Exit(code=1)


def _print_listen(report) -> None:
    """Per channel: how many teasers were read, what is new and gone, and the counts (numbers, never who)."""
    for run in report.channels:
        print(f"== {run.channel}")
        if run.error:
            print(_("   not run: {error}").format(error=run.error))
            continue
        teasers = ngettext("{count} teaser", "{count} teasers", run.teasers).format(count=run.teasers)
        print(
            _("   {teasers}: {new} new, {gone} gone; {replies} replies, {reposts} reposts, {likes} likes").format(
                teasers=teasers,
                new=run.new,
                gone=run.gone,
                replies=run.counts.replies,
                reposts=run.counts.reposts,
                likes=run.counts.likes,
            )
        )
        for key, error in run.failed:
            print(_("   FAILED {post}: {error}; nothing of it was changed").format(post=key, error=error))


@task(
    help={
        "channel": _("only this channel"),
        "ledger": _("ledger file (default HUB_CROSSPOST_LEDGER, else data/crosspost-ledger.jsonl beside content/)"),
        "database": _("the inbox's database (default HUB_INBOX_DATABASE, else var/inbox.sqlite beside content/)"),
        "content": _("content folder instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_menu(_("Read the replies and counts of our teasers on Mastodon and Bluesky into the inbox."))
@_stops_here
def listen(c, channel=None, ledger=None, database=None, content=None, calendar=None):
    # No freeze or crisis check: a crisis stop closes intake and posting, listening goes on.
    from hub_content.calendar import load_calendar
    from hub_content.pelican_settings import calendar_file
    from hub_crosspost.channels import CHANNELS
    from hub_crosspost.clients import credentials_from_env
    from hub_crosspost.http import RetryPolicy
    from hub_crosspost.ledger import Ledger, ledger_file
    from hub_inbox.listen.run import listen as listen_to
    from hub_inbox.listen.run import open_reader
    from hub_inbox.store import StoreBusy
    from hub_inbox.stores import open_store

    settings = _settings(True, **_paths(content, calendar))
    path = calendar_file(settings)
    book, findings = load_calendar(path, display_path=str(path), content_root=Path(settings["PATH"]))
    for finding in findings:
        print(_("warning: {finding}").format(finding=finding.render()), file=sys.stderr)
    channels = [c for c in book.section(CHANNELS).values() if channel in (None, c.name)]
    if channel and not channels:
        names = ", ".join(book.section(CHANNELS))
        raise Exit(
            _("--channel: expected one of {names}, found '{channel}'").format(names=names, channel=channel), code=2
        )
    current = Ledger.load(Path(ledger) if ledger else ledger_file(settings)).current()
    policy = RetryPolicy(read_timeout=float(os.environ.get("HUB_HTTP_READ_TIMEOUT", "20")))
    store = open_store(settings, database=database)
    try:
        report = listen_to(
            channels,
            current,
            store,
            datetime.now().astimezone(),
            lambda config, credentials: open_reader(config, credentials, policy=policy),
            credentials_from_env,
            os.environ,
        )
    except StoreBusy as error:
        raise Exit(
            _("the inbox's database is busy ({error}); run it again (nothing is stored twice)").format(error=error),
            code=1,
        ) from None
    finally:
        store.close()
    _print_listen(report)
    if not report.channels:
        print(_("no teaser on Mastodon or Bluesky in the ledger: nothing to listen to"))
    if not report.ok:
        raise Exit(code=1)


def _print_platform_report(report, path: Path) -> None:
    """Per channel: its teasers, how many were fetched, their counts (numbers, never who), what failed
    or was skipped and why; then where the day's counts are."""
    for run in report.channels:
        print(f"== {run.channel}")
        teasers = ngettext("{count} teaser", "{count} teasers", run.teasers).format(count=run.teasers)
        if run.skipped:
            print(_("   {teasers}: skipped, {why}").format(teasers=teasers, why=run.skipped))
            continue
        if run.error:
            print(_("   {teasers}: not run: {error}").format(teasers=teasers, error=run.error))
            continue
        print(
            _("   {teasers}: {fetched} fetched; {replies} replies, {reposts} reposts, {likes} likes").format(
                teasers=teasers,
                fetched=run.fetched,
                replies=run.reactions.replies,
                reposts=run.reactions.reposts,
                likes=run.reactions.likes,
            )
        )
        failures: dict[str, list[str]] = {}  # one refused login fails every teaser alike: said once
        for key, error in run.failed:
            failures.setdefault(error, []).append(key)
        for error, keys in failures.items():
            print(_("   FAILED {posts}: {error}").format(posts=", ".join(keys), error=error))
        if run.not_asked:
            print(
                ngettext(
                    "   {count} more teaser not asked: the platform asks us to wait; the next run tries again",
                    "   {count} more teasers not asked: the platform asks us to wait; the next run tries again",
                    run.not_asked,
                ).format(count=run.not_asked)
            )
    if report.kept:
        print(
            ngettext(
                "{count} teaser could not be fetched now: its counts of an earlier run today are kept",
                "{count} teasers could not be fetched now: their counts of an earlier run today are kept",
                report.kept,
            ).format(count=report.kept)
        )
    if report.saved:
        print(_("counts of {day}: {path} (commit it)").format(day=report.day.isoformat(), path=path))
    elif report.wanted == 0:
        print(_("no teaser on a platform with counts in the ledger: nothing to fetch"))
    else:
        print(_("no counts could be fetched; the counts of {day} stay as they were").format(day=report.day.isoformat()))


@task(
    help={
        "channel": _("only this channel"),
        "ledger": _("ledger file (default HUB_CROSSPOST_LEDGER, else data/crosspost-ledger.jsonl beside content/)"),
        "content": _("content folder instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_menu(_("Fetch the platforms' counts (replies, reposts, likes) of each teaser."))
@_stops_here
def platform_counts(c, channel=None, ledger=None, content=None, calendar=None):
    settings = _settings(True, **_paths(content, calendar))
    report, path = _fetch_platform_counts(settings, channel=channel, ledger=ledger)
    _print_platform_report(report, path)
    if report.failed:
        raise Exit(code=1)


def _fetch_platform_counts(settings, *, channel=None, ledger=None):
    """The day's counts of every teaser on a platform that reports them: `invoke platform-counts` and
    `invoke stats`. Returns the report and the day's file."""
    from hub_crosspost.channels import CHANNELS
    from hub_crosspost.http import RetryPolicy
    from hub_crosspost.ledger import Ledger, ledger_file
    from hub_inbox.listen.run import open_reader
    from hub_stats.options import figures_folder
    from hub_stats.platforms import fetch_platform_day
    from hub_stats.store import FiguresStore

    book = _calendar_of(settings)
    channels = [c for c in book.section(CHANNELS).values() if channel in (None, c.name)]
    if channel and not channels:
        names = ", ".join(book.section(CHANNELS))
        raise Exit(
            _("--channel: expected one of {names}, found '{channel}'").format(names=names, channel=channel), code=2
        )
    current = Ledger.load(Path(ledger) if ledger else ledger_file(settings)).current()
    if channel:
        current = {key: entry for key, entry in current.items() if key[1] == channel}
    policy = RetryPolicy(read_timeout=float(os.environ.get("HUB_HTTP_READ_TIMEOUT", "20")))
    store = FiguresStore(figures_folder(settings))
    report = fetch_platform_day(
        channels,
        current,
        store,
        datetime.now().astimezone(),
        os.environ,
        open_reader=lambda config, credentials: open_reader(config, credentials, policy=policy),
    )
    return report, store.platform_file(report.day)


def _print_stats(report) -> None:
    """What `invoke stats` read, counted and deleted: numbers and file names, never a reader."""
    print(_("access logs: {location}").format(location=report.location))
    files = [ngettext("{count} file read", "{count} files read", len(report.read)).format(count=len(report.read))]
    if report.skipped:
        files.append(_("{count} already counted").format(count=len(report.skipped)))
    if report.settling:
        files.append(_("{count} still being written (read at the next run)").format(count=len(report.settling)))
    print("   " + ", ".join(files))
    print(
        "   "
        + ", ".join(
            (
                ngettext("{count} line", "{count} lines", report.lines).format(count=report.lines),
                ngettext("{count} page view", "{count} page views", report.views).format(count=report.views),
                ngettext("{count} broken line", "{count} broken lines", report.malformed).format(
                    count=report.malformed
                ),
            )
        )
    )
    for broken in report.examples:
        print(_("   broken line {place}").format(place=broken.render()))
    if report.days:
        first, last = min(report.days), max(report.days)
        days = ngettext("{count} day", "{count} days", len(report.days)).format(count=len(report.days))
        print(
            _("   figures of {days} changed ({first} to {last}): {folder} (commit it)").format(
                days=days, first=first.isoformat(), last=last.isoformat(), folder=report.figures
            )
        )
    if report.deleted:
        count = len(report.deleted)
        print(
            ngettext("   {count} old log file deleted", "   {count} old log files deleted", count).format(count=count)
        )
    for name in report.unknown:
        print(_("   not counted: {file}: no access log format that Hub reads").format(file=name), file=sys.stderr)
    for problem in report.failed:
        print(_("   not counted: {file}: {reason}").format(file=problem.file, reason=problem.reason), file=sys.stderr)
    for problem in report.not_deleted:
        print(_("   not deleted: {file}: {reason}").format(file=problem.file, reason=problem.reason), file=sys.stderr)


@task(
    help={
        "logs": _("folder or s3://bucket/prefix/ to read instead of HUB_STATS_LOGS"),
        "now": _("run as of this moment instead of now (what is old enough to delete), e.g. '2026-11-23 09:00'"),
        "content": _("content folder instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
        "no_platforms": _("count the access logs only; do not fetch the platforms' counts"),
    }
)
@_menu(
    _(
        "Count page views, channels, referrers and feed readers from the access logs into data/stats/ "
        "(no IP kept), and fetch the platforms' counts."
    )
)
@_stops_here
def stats(c, logs=None, now=None, content=None, calendar=None, no_platforms=False):
    from zoneinfo import ZoneInfo

    from hub_stats import collect

    settings = _settings(True, **_paths(content, calendar))
    moment = _now(now, ZoneInfo(settings["TIMEZONE"]))
    if logs and not logs.startswith("s3://"):
        logs = str(Path(logs).resolve())
    report = collect.run_configured(settings, os.environ, now=moment, logs=logs)
    if report is None:
        print(_("HUB_STATS_LOGS is not set: no access logs to count (set it, or give --logs)"))
    else:
        _print_stats(report)
    platforms = None
    if not no_platforms:
        # The platforms' own counts belong to the same nightly run: one command for CI and the timer.
        platforms, path = _fetch_platform_counts(settings)
        if platforms.wanted:
            print(_("platform counts:"))
            _print_platform_report(platforms, path)
    if (report is not None and not report.ok) or (platforms is not None and platforms.failed):
        raise Exit(code=1)


def _deploy_override(to: str) -> dict[str, str]:
    """--to s3://bucket/prefix (endpoint from HUB_S3_ENDPOINT) or a folder: instead of HUB_DEPLOY."""
    if to.startswith("s3://"):
        bucket, _slash, prefix = to.removeprefix("s3://").partition("/")
        override = {"target": "s3", "bucket": bucket, "prefix": prefix}
        if os.environ.get("HUB_S3_ENDPOINT"):
            override["endpoint_url_env"] = "HUB_S3_ENDPOINT"
        return override
    return {"target": "directory", "path": str(Path(to).resolve())}


@task(
    help={
        "dry_run": _(
            "build, then list what would be uploaded, replaced and deleted; change nothing there, post nothing"
        ),
        "no_crosspost": _("deploy only; leave cross-posting for later"),
        "to": _("deploy here instead of HUB_DEPLOY: a folder, or s3://bucket/prefix"),
        "output": _("folder to build into and deploy from (default output-prod/, OUTPUT_PATH of publishconf.py)"),
        "content": _("content folder instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_menu(_("Build for production into output-prod/, deploy it if (and only if) the build passed, then cross-post."))
@_stops_here
def publish(c, dry_run=False, no_crosspost=False, to=None, output=None, content=None, calendar=None):
    import shlex

    from hub_preview.build import pelican_command
    from hub_publish.deploy import deploy
    from hub_publish.report import format_report
    from hub_publish.settings import target_from_settings

    overrides = _paths(content, calendar)
    settings = _settings(True, **overrides)
    if to:
        settings["HUB_DEPLOY"] = _deploy_override(to)
    target = target_from_settings(settings, os.environ, base=ROOT)  # checked before a minute is spent building
    folder = Path(output).resolve() if output else _output(True)
    content_dir = Path(overrides.get("PATH", ROOT / "content"))
    extra = {"HUB_CALENDAR": overrides["HUB_CALENDAR"]} if "HUB_CALENDAR" in overrides else {}
    # The build writes a fresh folder and swaps it in only when it passed (hub_fast_clean): what is
    # deployed is exactly what this build wrote, nothing left from an earlier one.
    _export_when_inbox_exists(settings)
    command = pelican_command(content_dir, folder, PROD_CONF, extra)
    result = c.run(shlex.join(command), pty=False, warn=True, env={"PYTHONPATH": _pythonpath()})
    if not result.ok:
        raise Exit(_("publish: the build or the review gate failed; nothing was deployed"), code=1)
    report = deploy(target, folder, dry_run=dry_run)
    print(format_report(report))
    if dry_run or no_crosspost:
        return
    from hub_crosspost.ledger import ledger_file

    ledger = ledger_file(settings)
    try:
        crosspost(c, content=content, calendar=calendar)
    finally:
        shown = ledger.relative_to(ROOT) if ledger.is_relative_to(ROOT) else ledger
        print(_("commit {path} (the cross-posting ledger)").format(path=shown), file=sys.stderr)


@task(
    name="import",
    help={
        "source": _("a Pelican content folder, or a WordPress export (.xml from Tools → Export)"),
        "into": _("posts folder to write into (default content/posts; pages and images go beside it)"),
        "write": _("write the files (default: dry run, print the report only); never overwrites a file"),
        "media": _("WordPress: a copy of wp-content/uploads, so images and files come along"),
        "authors": _("author mapping file (default import-authors.yaml beside the editorial calendar)"),
        "lang": _("language of posts whose source names none (default: the site's)"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    },
)
@_stops_here
@_menu(_("Take over an existing blog (Pelican folder or WordPress export): dry run, or --write."))
def import_(c, source, into="content/posts", write=False, media=None, authors=None, lang=None, calendar=None):
    from hub_content.pelican_settings import content_settings
    from hub_import.run import Request, run_import

    posts = Path(into).resolve()
    if not posts.parent.is_dir():
        wrong = _("--into: expected a posts folder in the site's content folder, found no {folder}")
        raise Exit(wrong.format(folder=posts.parent), code=2)
    settings = content_settings(_settings(False, **_paths(str(posts.parent), calendar)), display_root=Path.cwd())
    request = Request(
        source=Path(source).resolve(),
        into=posts,
        settings=settings,
        write=write,
        media=Path(media).resolve() if media else None,
        authors_file=Path(authors).resolve() if authors else None,
        lang=lang,
    )
    outcome = run_import(request)
    print(outcome.report, end="")
    if outcome.exit_code:
        raise Exit(code=outcome.exit_code)


def _calendar_of(settings):
    """The editorial calendar the settings name, its problems shown as warnings (the task goes on)."""
    from hub_content.calendar import load_calendar
    from hub_content.pelican_settings import calendar_file

    path = calendar_file(settings)
    book, findings = load_calendar(path, display_path=str(path), content_root=Path(settings["PATH"]))
    for finding in findings:
        print(_("warning: {finding}").format(finding=finding.render()), file=sys.stderr)
    return book


def _dialogue_rules(settings, book=None):
    """The calendar's `dialogue:` section: routes, response times and the intake's spam word list."""
    from hub_dialogue.calendar_sections import DIALOGUE

    return (book or _calendar_of(settings)).section(DIALOGUE)


# The preview's origins: a comment form on a page of `invoke serve` may post to the local inbox.
PREVIEW_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")


@task(
    help={
        "port": _("port on 127.0.0.1 (default 8100; 0: any free port)"),
        "prod": _("use production settings (publishconf.py)"),
        "database": _("SQLite file or postgresql:// URL instead of HUB_INBOX_DATABASE"),
        "posts": _("posts file instead of HUB_INBOX_POSTS (the build writes it)"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_stops_here
@_menu(_("Run the comment inbox locally on http://127.0.0.1:8100/dialog/ (stop with Ctrl+C)."))
def inbox(c, port=8100, prod=False, database=None, posts=None, calendar=None):
    from hub_dialogue.wsgi import build as build_inbox
    from hub_inbox.server import make

    settings = _settings(prod, **_paths(None, calendar))
    service = build_inbox(
        settings,
        os.environ,
        database=database or None,
        posts_file=Path(posts) if posts else None,
        extra_origins=() if prod else PREVIEW_ORIGINS,
    )
    config = service.application.config
    server = make(service.application, "127.0.0.1", int(port))
    print(
        _("inbox: http://127.0.0.1:{port}{prefix} (database {database}, posts {posts}); stop with Ctrl+C").format(
            port=server.server_port, prefix=config.prefix, database=service.store.path, posts=config.posts_file
        ),
        flush=True,
    )
    print(
        _("moderation: http://127.0.0.1:{port}{path}").format(port=server.server_port, path=service.moderation.base),
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        service.store.close()


def _new_password() -> str:
    """Asked twice without echo; from a pipe (tests, scripts) the first two lines of stdin."""
    if sys.stdin.isatty():
        import getpass

        return _same_twice(getpass.getpass(_("New password: ")), getpass.getpass(_("The same again: ")))
    lines = sys.stdin.read().splitlines()
    return _same_twice(*[*lines, "", ""][:2])


def _same_twice(first: str, second: str) -> str:
    from hub_inbox.passwords import MIN_LENGTH

    if first != second:
        raise Exit(_("the two passwords differ; nothing was changed"), code=1)
    if len(first) < MIN_LENGTH:
        raise Exit(
            _("a password needs at least {count} characters; nothing was changed").format(count=MIN_LENGTH), code=1
        )
    return first


@task(
    help={
        "as": _("the team id from editorial_calendar.yaml (a member with the 'editor' right)"),
        "database": _("SQLite file or postgresql:// URL instead of HUB_INBOX_DATABASE"),
        "calendar": _("editorial calendar to use instead of the configured one"),
        "prod": _("use production settings (publishconf.py)"),
    }
)
@_stops_here
@_menu(_("Set a moderator's password for the inbox (asked twice; stored hashed in the inbox's database)."))
def inbox_password(c, as_, database=None, calendar=None, prod=False):
    from datetime import UTC

    from hub_inbox.passwords import hash_password
    from hub_inbox.stores import open_store

    settings = _settings(prod, **_paths(None, calendar))
    member = _calendar_of(settings).team.get(as_)
    if member is None or not member.is_editor:
        raise Exit(
            _("'{member}' is no member of the team with the 'editor' right; only editors moderate").format(member=as_),
            code=2,
        )
    password = _new_password()
    store = open_store(settings, database=database)
    try:
        store.set_password(as_, hash_password(password), datetime.now(UTC))
    finally:
        store.close()
    print(
        _("password of {name} ({member}) set in {database}").format(name=member.name, member=as_, database=store.path)
    )


# Privacy (issue 15, point 8): the export the build reads, and erasure.


def _export_when_inbox_exists(settings) -> None:
    """Before a publish: the approved comments into the export, when this machine has the inbox's
    database (a forgotten person leaves the site and its search index with this build)."""
    from hub_inbox.options import database_location
    from hub_inbox.stores import store_exists

    database = database_location(settings)
    if store_exists(database):
        _export(settings, database)


def _export(settings, database: Path | str) -> None:
    from hub_dialogue import export_file
    from hub_inbox.export_file import write_export
    from hub_inbox.stores import open_store

    target = export_file(settings)
    if target is None:
        print(_("inbox-export: HUB_DIALOGUE_EXPORT is None: no export written"), file=sys.stderr)
        return
    store = open_store(settings, database=database)
    try:
        shown = write_export(store, target, datetime.now().astimezone())
    finally:
        store.close()
    print(
        ngettext(
            "inbox-export: {count} approved item written to {path}",
            "inbox-export: {count} approved items written to {path}",
            shown,
        ).format(count=shown, path=target)
    )


@task(
    name="inbox-export",
    help={
        "prod": _("use production settings (publishconf.py)"),
        "database": _("SQLite file or postgresql:// URL instead of HUB_INBOX_DATABASE"),
    },
)
@_stops_here
@_menu(_("Write the approved comments for the next build (HUB_DIALOGUE_EXPORT; never committed)."))
def inbox_export(c, prod=False, database=None):
    from hub_inbox.options import database_location
    from hub_inbox.stores import store_exists

    settings = _settings(prod)
    path = database_location(settings, database)
    if not store_exists(path):
        raise Exit(_("inbox-export: no inbox database at {path}").format(path=path), code=1)
    _export(settings, path)


@task(
    name="inbox-forget",
    help={
        "email": _("the person's e-mail address"),
        "handle": _("the person's account on a platform, e.g. @name@instance"),
        "as": _("your team id from editorial_calendar.yaml (recorded with the erasure)"),
        "reason": _("why (default: erasure request, Art. 17 GDPR)"),
        "database": _("SQLite file or postgresql:// URL instead of HUB_INBOX_DATABASE"),
    },
)
@_stops_here
@_menu(_("Erasure: delete every comment and reply of one person (--email or --handle) --as <team-id>."))
def inbox_forget(c, as_, email="", handle="", reason="", database=None):
    from hub_inbox.options import database_location
    from hub_inbox.store import StoreBusy
    from hub_inbox.stores import open_store, store_exists

    if not (email or handle):
        raise Exit(_("inbox-forget: give --email or --handle"), code=2)
    settings = _settings(True)
    path = database_location(settings, database)
    if not store_exists(path):
        raise Exit(_("inbox-forget: no inbox database at {path}").format(path=path), code=1)
    store = open_store(settings, database=path)
    try:
        count = store.forget(
            email=email.strip(),
            handle=handle.strip(),
            by=as_,
            at=datetime.now().astimezone(),
            reason=reason or _("erasure request (Art. 17 GDPR)"),
        )
    except StoreBusy as error:
        raise Exit(_("the inbox's database is busy ({error}); run it again").format(error=error), code=1) from None
    finally:
        store.close()
    print(
        ngettext(
            "inbox-forget: {count} item deleted and wiped",
            "inbox-forget: {count} items deleted and wiped",
            count,
        ).format(count=count)
    )
    print(_("inbox-forget: run invoke publish (or inbox-export and a build) to remove them from the website"))


def _print_writer_mails(mails, wiped: int) -> None:
    """One line per mail to a writer (the comment's id, never the address); a mail not sent is tried again."""
    from hub_inbox.optin import OPTIN_MAIL

    for mail in mails:
        kind = _("confirmation mail") if mail.kind == OPTIN_MAIL else _("reply notice")
        if mail.problem:
            print(_("NOT SENT {kind} for {item}; tried again on the next run").format(kind=kind, item=mail.item))
            print(f"   {mail.problem}")
        else:
            print(_("sent {kind} for {item}").format(kind=kind, item=mail.item))
    if wiped:
        print(
            ngettext(
                "{count} unconfirmed e-mail address deleted", "{count} unconfirmed e-mail addresses deleted", wiped
            ).format(count=wiped)
        )


def _print_notices(deliveries) -> None:
    """One line per notice: sent (and how) or not, and why; a notice not sent is tried again next run."""
    from hub_dialogue.notify import MAIL, WEBHOOK
    from hub_dialogue.routing import ESCALATE

    way_names = {MAIL: _("e-mail"), WEBHOOK: _("webhook")}
    for delivery in deliveries:
        notice = delivery.notice
        kind = _("escalation") if notice.kind == ESCALATE else _("new item")
        what = _("{kind} for {to}: {item} ({post})").format(
            kind=kind, to=notice.to, item=notice.tracked.item.id, post=notice.tracked.item.post
        )
        if delivery.noted:
            ways = ", ".join(way_names.get(way, way) for way in delivery.sent)
            print(_("sent {what} by {ways}").format(what=what, ways=ways))
        else:
            print(_("NOT SENT {what}; tried again on the next run").format(what=what))
        for problem in delivery.problems:
            print(f"   {problem}")
    sent = sum(1 for delivery in deliveries if delivery.noted)
    failed = len(deliveries) - sent
    print(
        ", ".join(
            (
                ngettext("{count} notice sent", "{count} notices sent", sent).format(count=sent),
                ngettext("{count} failed", "{count} failed", failed).format(count=failed),
            )
        )
    )


@task(
    help={
        "now": _("run as of this moment instead of now, e.g. '2026-11-23 09:00'"),
        "database": _("SQLite file or postgresql:// URL instead of HUB_INBOX_DATABASE"),
        "posts": _("posts file instead of HUB_INBOX_POSTS (the build writes it)"),
        "content": _("content folder instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_stops_here
@_menu(
    _(
        "Notify the routed person of new comments and the lead before a deadline; mail writers their"
        " confirmation and reply notice (for cron or a timer)."
    )
)
def inbox_notify(c, now=None, database=None, posts=None, content=None, calendar=None):
    from hub_core.options import problems, read
    from hub_core.settings_check import SettingsInvalid
    from hub_dialogue.notify import NoticeFailed, SmtpMailer, notify, smtp_settings, webhook_chat
    from hub_dialogue.options import OPTIONS as DIALOGUE_OPTIONS
    from hub_dialogue.writer_mail import WriterLinks, notify_writers
    from hub_inbox.options import OPTIONS as INBOX_OPTIONS
    from hub_inbox.options import POSTS, PUBLIC_URL, UNCONFIRMED_DAYS
    from hub_inbox.posts import PostsError, PostsFile
    from hub_inbox.store import StoreBusy
    from hub_inbox.stores import open_store

    settings = _settings(True, **_paths(content, calendar))
    found = problems((*DIALOGUE_OPTIONS, *INBOX_OPTIONS), settings)
    if found:
        raise SettingsInvalid("\n".join(found))
    book = _calendar_of(settings)
    moment = _now(now, book.timezone)
    try:
        commentable = PostsFile(Path(posts or read(POSTS, settings))).current()
    except PostsError as error:
        raise Exit(_("the posts file cannot be read: {error}").format(error=error), code=2) from None
    try:
        mail = smtp_settings(settings, os.environ)
    except NoticeFailed as error:
        raise Exit(str(error), code=2) from None
    try:
        chat = webhook_chat(book, os.environ)
    except NoticeFailed as error:  # e-mail still goes out; a notice that needs the webhook waits
        print(_("warning: dialogue.webhook: {error}").format(error=error), file=sys.stderr)
        chat = None
    mailer = SmtpMailer(mail) if mail else None
    store = open_store(settings, database=database)
    try:
        deliveries = notify(store, book, commentable, moment, mailer, chat)
        links = WriterLinks(read(PUBLIC_URL, settings), os.environ.get("HUB_INBOX_SECRET", ""))
        writer_mails, wiped = notify_writers(
            store, commentable, moment, mailer, links, read(UNCONFIRMED_DAYS, settings)
        )
    except StoreBusy as error:
        raise Exit(
            _("the inbox's database is busy ({error}); run it again (a notice may be sent twice)").format(error=error),
            code=1,
        ) from None
    finally:
        store.close()
        if mailer:
            mailer.close()
        if chat:
            chat.close()
    _print_notices(deliveries)
    _print_writer_mails(writer_mails, wiped)
    if any(not delivery.noted or delivery.problems for delivery in deliveries) or any(
        mail.problem for mail in writer_mails
    ):
        raise Exit(code=1)


def _shown_path(path: Path) -> str:
    """A path as the person can type it: relative to where they are, when it lies below."""
    return str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)


@task(
    help={
        "month": _("the month to report, such as 2026-11 (default: the last full month)"),
        "no_pdf": _("write the HTML and the CSV files only, no PDF"),
        "now": _("as of this moment instead of now, e.g. '2026-12-01 06:00'"),
        "content": _("content folder instead of the configured one"),
        "calendar": _("editorial calendar to use instead of the configured one"),
    }
)
@_stops_here
@_menu(_("Write the monthly report (HTML, PDF, a CSV file per table) into reports/<month>/."))
def report(c, month=None, no_pdf=False, now=None, content=None, calendar=None):
    from hub_stats.report.month import MonthProblem, last_full_month, parse_month
    from hub_stats.report.write import reports_folder, write_report

    settings = _settings(True, **_paths(content, calendar))
    try:
        chosen = parse_month(month) if month is not None else None
    except MonthProblem as problem:
        raise Exit(_("--month: {problem}").format(problem=problem), code=2) from None
    book = _calendar_of(settings)
    moment = _now(now, book.timezone)
    period = chosen or last_full_month(moment.date())
    if period.first > moment.date():
        raise Exit(
            _("--month: {month} has not begun yet (today is {today}); nothing was written").format(
                month=month, today=moment.date().isoformat()
            ),
            code=2,
        )
    # The KPIs from the daily figures, the posts, the calendar and the inbox (if there is one).
    from hub_content.pelican_settings import content_settings
    from hub_stats import compute

    kpis = compute.month_kpis(
        settings,
        f"{period.first:%Y-%m}",
        moment,
        os.environ,
        checked=content_settings(settings, display_root=Path.cwd()),
        dialogue=compute.from_inbox(settings, moment, os.environ),
    )
    written = write_report(
        kpis,
        reports_folder(settings),
        site_name=settings.get("SITENAME", ""),
        people={member.id: member.name for member in book.team.values()},
        zone=book.timezone,
        pdf=not no_pdf,
    )
    files = [written.html, *([written.pdf] if written.pdf else []), *written.csv]
    print(
        ngettext(
            "monthly report {month}: {count} file in {folder}",
            "monthly report {month}: {count} files in {folder}",
            len(files),
        ).format(month=f"{period.first:%Y-%m}", count=len(files), folder=_shown_path(written.folder))
    )
    for path in files:
        print(f"  {_shown_path(path)}")
    if written.pdf_problem:
        print(
            _(
                "the PDF could not be written ({problem}): the HTML and the CSV files are there; --no-pdf skips it"
            ).format(problem=written.pdf_problem),
            file=sys.stderr,
        )
        raise Exit(code=1)
