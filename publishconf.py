"""Production settings: everything in pelicanconf.py, with absolute URLs and feeds.

Set SITEURL to where the portal is served, including any sub-path
(e.g. "https://data.example.kz/portal"). `make publish` builds with this file.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("MOLDIR_SITEURL", "https://moldir.example.kz")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = True
