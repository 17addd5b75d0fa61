"""Settings of the international reference example (declarative; see docs/settings.md).

A second example project, built on its own: reference data published by other countries'
governments, which shows the portal's budget, appeal-statistics and reception-schedule
pages with real figures. The Kazakh example portal is the repository root; this one
uses the same theme and plugin. Build it from this folder (`moldir build`) or from the
root with `make html-international` / `make serve-international`.
"""

SITENAME = "Moldir — International reference data"
SITEURL = ""
AUTHOR = "Moldir example: reference data of other countries"
TIMEZONE = "Asia/Almaty"
DEFAULT_LANG = "kk"

PATH = "content"
OUTPUT_PATH = "output"
# The theme and the plugin of the repository root (paths are taken from this file's folder).
THEME = "../../theme"
PLUGIN_PATHS = ["../../plugins"]
PLUGINS = ["moldir"]

RELATIVE_URLS = True

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
ARTICLE_URL = "news/{slug}/"
ARTICLE_SAVE_AS = "news/{slug}/index.html"
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

FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_DOMAIN = "http://127.0.0.1:8001"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MOLDIR = {
    "datasets_path": "datasets",
    # No one body publishes this example: each dataset names its own publisher and contact.
    "publisher": "Moldir example: reference data of other countries",
    "contact_email": "",
    "languages": ["kk", "ru", "en"],
    "site_names": {
        "kk": "Moldir — Басқа елдердің анықтамалық деректері",
        "ru": "Moldir — Справочные данные других стран",
    },
    "topics": ["appeals", "receptions", "budget"],
}

MOLDIR_OPENDATA = {
    "description": "Reference data published by the governments of Canada, New Zealand and "
    "the United Kingdom, shown with Moldir's budget, appeal-statistics and reception-schedule "
    "pages. Each dataset names its own publisher, licence and contact.",
}

# Feedback without a server (docs/feedback.md): the links of dataset pages open an e-mail to
# the portal's team, the subject and the dataset filled in (an example address).
MOLDIR_FEEDBACK = {"channel": "email", "email": "opendata@example.org"}
