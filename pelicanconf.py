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

# Feeds are built in production only (publishconf.py).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MOLDIR = {
    "datasets_path": "datasets",
    "publisher": "Astana Civil Service Hub",
    "contact_email": "info@astanacivilservicehub.org",
    "languages": ["kk", "ru", "en"],
}
