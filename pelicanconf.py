"""Development settings of the example portal (declarative; see docs/settings.md).

Build with `make html` (or `moldir build`); production overrides are in publishconf.py.
"""

SITENAME = "Moldir — Open Government Data"
SITEURL = ""
AUTHOR = "Astana Civil Service Hub (example portal)"
TIMEZONE = "Asia/Almaty"
# Kazakh, the state language, is built at /; Russian and English under /ru/ and /en/
# (MOLDIR["languages"]; see docs/i18n.md).
DEFAULT_LANG = "kk"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["moldir"]

# Relative links in development, so the output opens from any folder or sub-path.
RELATIVE_URLS = True

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
# Netlify / Cloudflare Pages headers (docs/deploy.md) at the site root.
EXTRA_PATH_METADATA = {"extra/_headers": {"path": "_headers"}}
ARTICLE_URL = "news/{slug}/"
ARTICLE_SAVE_AS = "news/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
INDEX_SAVE_AS = "index.html"
ARCHIVES_SAVE_AS = "news/index.html"
DIRECT_TEMPLATES = ["index", "archives", "404"]
TEMPLATE_PAGES = {}
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DEFAULT_PAGINATION = False
SLUGIFY_SOURCE = "basename"

# The article feed is built in development too; a relative SITEURL cannot give feeds the
# absolute links Atom needs, so they point at `moldir serve` (docs/open-data.md).
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_DOMAIN = "http://127.0.0.1:8000"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MOLDIR = {
    "datasets_path": "datasets",
    "publisher": "Astana Civil Service Hub",
    "contact_email": "info@astanacivilservicehub.org",
    "languages": ["kk", "ru", "en"],
    "site_names": {
        "kk": "Moldir — Ашық мемлекеттік деректер",
        "ru": "Moldir — Открытые государственные данные",
    },
    # Kazakhstan's data on appeals, receptions, surveys and open government. No budget
    # data is published here yet: the budget pages are shown by the international
    # reference example (examples/international/, `make serve-international`).
    "topics": ["appeals", "receptions", "surveys", "open-government"],
}

# Catalogues, feeds, sitemap, canonical links (docs/open-data.md). "site_url" is where the
# portal is published, for absolute URLs while SITEURL is relative (empty: local preview).
MOLDIR_OPENDATA = {
    "spatial": "KAZ",
    "spatial_name": "Kazakhstan",
    "description": "Open data on how government bodies of Kazakhstan communicate with "
    "citizens: appeals, receptions, call centres and surveys, validated against their "
    "table schemas.",
}

# Feedback without a server (docs/feedback.md): "Report an error in this data" and "Request a
# dataset" on every dataset page open a new issue in this repository, filled in. The
# repository of the example is illustrative: set your portal's own.
MOLDIR_FEEDBACK = {
    "channel": "github",
    "repository": "https://github.com/astana-civil-service-hub/open-data-portal",
}
