"""Production settings: everything in pelicanconf.py, with absolute URLs and feeds.

Set SITEURL to where the portal is served, including any sub-path
(e.g. "https://data.example.kz/portal"). `make publish` builds with this file.
"""

import os
import sys

# This folder's pelicanconf.py, even when a process (the tests, a script) has already read
# another project's: Pelican registers the settings it reads as the module "pelicanconf".
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.modules.pop("pelicanconf", None)
from pelicanconf import *  # noqa: E402, F403

SITEURL = os.environ.get("MOLDIR_SITEURL", "https://moldir.example.kz")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = True
