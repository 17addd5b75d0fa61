"""Moldir's own extension points, used by its features exactly as an outside plugin would.

- ``validation_checks``: sent with the MoldirSettings; each receiver returns a list of
  checks ``check(dataset) -> iterable of ValidationError`` run on every dataset that passed
  Frictionless (chart declarations, kind schemas, budget consistency, ...).
- ``portal_loaded``: sent with the Portal once every dataset is valid and its tables read;
  receivers add their results to ``published.extras`` (charts, history, ...).
- ``site_built``: sent with the staging folder (a Path) and ``settings=`` (Pelican's
  settings of the default language) after every Pelican run succeeded and before the
  folder is swapped into place: whole-site steps (search index, sitemap) run here. An
  exception aborts the build and leaves the previous output untouched.
"""

from blinker import signal

validation_checks = signal("moldir_validation_checks")
portal_loaded = signal("moldir_portal_loaded")
site_built = signal("moldir_site_built")
