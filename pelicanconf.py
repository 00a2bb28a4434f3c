"""Development settings: for authors previewing locally (relative URLs, drafts visible).

Production values live in publishconf.py, which imports everything from here.
"""

from __future__ import annotations

AUTHOR = "Redaktion"
SITENAME = "Hellwig Antriebstechnik · Blog"
SITESUBTITLE = "Aus Werkstatt, Prüflabor und Ausbildung"
# The subtitle on pages in other languages (header, English start page); without one, SITESUBTITLE.
SITESUBTITLE_TRANSLATIONS = {"en": "From the workshop, the test lab and our apprenticeships"}
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
# The preview's folder (`invoke build`, `invoke serve`); production builds go to output-prod/ (publishconf.py).
OUTPUT_PATH = "output"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
THEME = "themes/hub"
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "hub_url_memo",
    "hub_content",
    "hub_review",
    "hub_crosspost",
    "hub_dialogue",
    "hub_stats",
    "hub_images",
    "hub_feeds",
    "hub_theme",
    "hub_search",
    "hub_discovery",
    "hub_redirects",
    "hub_page_cache",
    "hub_fast_clean",
]

TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
DEFAULT_CATEGORY = "Allgemein"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_DATE_FORMAT = "%d.%m.%Y"

# The company behind the blog: shown in the header, footer and (later) structured data.
COMPANY = {
    "name": "Hellwig Antriebstechnik GmbH",
    "url": "https://www.hellwig-antriebe.example/",
    "street": "Am Hellwigsberg 12",
    "city": "58511 Lüdenscheid",
    "logo": "theme/img/logo.svg",
}

# Jinja autoescape on (Pelican's default is off): a <script> in a title or
# summary is shown as text. Rendered bodies are marked safe in the templates.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": []}

# URLs as directories; German words, since the site is German.
ARTICLE_URL = "{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/{date:%Y}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{date:%Y}/{slug}/index.html"
DRAFT_URL = "entwuerfe/{slug}/"
DRAFT_SAVE_AS = "entwuerfe/{slug}/index.html"
DRAFT_LANG_URL = "entwuerfe/{lang}/{slug}/"
DRAFT_LANG_SAVE_AS = "entwuerfe/{lang}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
CATEGORY_URL = "kategorie/{slug}/"
CATEGORY_SAVE_AS = "kategorie/{slug}/index.html"
TAG_URL = "schlagwort/{slug}/"
TAG_SAVE_AS = "schlagwort/{slug}/index.html"
AUTHOR_URL = "autor/{slug}/"
AUTHOR_SAVE_AS = "autor/{slug}/index.html"
CATEGORIES_URL = "kategorien/"
CATEGORIES_SAVE_AS = "kategorien/index.html"
TAGS_URL = "schlagwoerter/"
TAGS_SAVE_AS = "schlagwoerter/index.html"
AUTHORS_URL = "autoren/"
AUTHORS_SAVE_AS = "autoren/index.html"
ARCHIVES_URL = "archiv/"
ARCHIVES_SAVE_AS = "archiv/index.html"
# Site search (plugins/hub_search): the German page is a direct template; other languages get {lang}/search/.
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "search"]
SEARCH_URL = "suche/"
SEARCH_SAVE_AS = "suche/index.html"

# Page 2 of a listing lives in its own folder, so it can never collide with a
# slug (Pelican's default '{name}{number}.html' writes tag 'b1' page 6 onto tag 'b16').
DEFAULT_PAGINATION = 8
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/seite/{number}/", "{base_name}/seite/{number}/index.html"),
)

# German slugs: ä → ae, ß → ss (Pelican's ASCII folding would write a, s).
SLUGIFY_USE_UNICODE = True
SLUG_REGEX_SUBSTITUTIONS = [
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
    ("ß", "ss"),
    ("[àáâãå]", "a"),
    ("[èéêë]", "e"),
    ("[ìíîïı]", "i"),
    ("[òóôõø]", "o"),
    ("[ùúû]", "u"),
    ("ç", "c"),
    ("ñ", "n"),
    (r"[^\w\s-]", ""),
    (r"[^a-z0-9\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]

# Translations are grouped by the original's slug (see `translation_of`).
ARTICLE_TRANSLATION_ID = "translation_key"
PAGE_TRANSLATION_ID = "translation_key"

# Feeds are not needed while writing.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.smarty": {
            "substitutions": {"left-double-quote": "&bdquo;", "right-double-quote": "&ldquo;"}
        },
    },
    "output_format": "html5",
}

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# Content checks (plugins/hub_content): change a check's level here.
HUB_CHECKS: dict[str, str] = {}
HUB_STRICT = False
HUB_SPONSORED_LABEL = "Anzeige"
# Development: posts that would not go live still render, with a banner saying why.
HUB_REVIEW_HOLD = False
# The editors' dashboard and the plan as .ics (not linked from the site; not in production).
HUB_DASHBOARD_SAVE_AS = "redaktion/"
# Never change once people subscribed to the .ics: calendar entries are matched by it.
# It is also the authority in every feed entry id (tag:<domain>,<date>:<lang>/<slug>).
HUB_UID_DOMAIN = "blog.hellwig-antriebe.example"

# Reader comments (plugins/hub_dialogue): the form posts to the inbox behind the blog's own domain;
# the build reads the inbox's export of approved comments from cache/dialogue/export.json (never
# committed). The Datenschutz page names these values: tests/hub_dialogue checks it.
HUB_DIALOGUE_URL = "/dialog/"
HUB_DIALOGUE_CLOSE_AFTER_DAYS = 90
# None: each comment's „Melden“ link opens the inbox's report form (<HUB_DIALOGUE_URL>melden?item=…).
HUB_DIALOGUE_REPORT_EMAIL = None

# Atom and RSS feeds (plugins/hub_feeds); Pelican's own FEED_* settings above stay None, so there is one
# feed generator. None switches a kind off.
HUB_FEEDS = {
    "all": "feeds/alle.{format}.xml",  # posts in the default language (German)
    "language": "feeds/{lang}.{format}.xml",  # every other language, e.g. feeds/en.atom.xml
    "category": "feeds/kategorie/{slug}.{format}.xml",
    "author": "feeds/autor/{slug}.{format}.xml",
    "tag": None,  # "feeds/schlagwort/{slug}.{format}.xml": one feed per tag
    "formats": ["atom", "rss"],
    "max_items": 20,
    "dev_siteurl": "http://localhost:8000",  # base of feed URLs while SITEURL is empty
}
