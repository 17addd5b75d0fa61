"""Moldir's own extension points, used by its features exactly as an outside plugin would.

- ``validation_checks``: sent with the MoldirSettings; each receiver returns a list of
  checks ``check(dataset) -> iterable of ValidationError`` run on every dataset that passed
  Frictionless (chart declarations, kind schemas, budget consistency, ...).
- ``dataset_dates``: sent with the list of valid Datasets before their downloads are
  planned; each receiver returns {slug: RFC 3339 date-time} of when each dataset last
  changed (the open-data feature reads it from git). The date is an input of the download
  plan: the published ``datapackage.json`` (and the one in the zip) carries it as
  ``modified`` when the descriptor has none.
- ``portal_loaded``: sent with the Portal once every dataset is valid and its tables read;
  receivers add their results to ``published.extras`` (charts, history, ...). A dataset's
  extras must be made from that dataset alone (its files, the settings, its git history):
  its pages are reused while its fingerprint is unchanged (reuse.py), so something drawn
  from other datasets belongs on a page that reads the whole portal. Costly results can be
  cached with the dataset by ``moldir.incremental.store.per_dataset``; extras its pages
  show that its files do not determine (its git history) are declared with
  ``moldir.incremental.reuse.key_extras``.
- ``site_built``: sent with the staging folder (a Path) and ``settings=`` (Pelican's
  settings of the default language) after every Pelican run succeeded and before the
  folder is swapped into place: whole-site steps (search index, sitemap) run here. An
  exception aborts the build and leaves the previous output untouched.

Pages (``moldir.pipeline.pages``; sent by ``moldir.site`` only, so ``moldir validate``
never imports what the receivers import when called):

- ``page_writers``: sent with the run's BuildContext; each receiver returns a list of
  page writers ``write(site) -> None``. Each writer runs in every language run, in the
  order connected (pages of a feature package live in its ``pages`` module).
- ``template_helpers``: sent with the run's BuildContext for each Jinja environment of the
  run; each receiver returns a ``TemplateHelpers`` (globals and filters of the theme).
- ``feed_generated``: sent with the run's BuildContext and ``feed=`` (a feedgenerator
  feed of the news) before the feed is written, to adjust its links.
"""

from blinker import NamedSignal
from ordered_set import OrderedSet


class OrderedSignal(NamedSignal):
    """Receivers run in the order they connected (features in ``FEATURES`` order).

    Pelican gives every blinker signal this order when it is imported; ``moldir validate``
    does not import Pelican, so Moldir's signals ask for it themselves.
    """

    set_class = OrderedSet


validation_checks = OrderedSignal("moldir_validation_checks")
dataset_dates = OrderedSignal("moldir_dataset_dates")
portal_loaded = OrderedSignal("moldir_portal_loaded")
site_built = OrderedSignal("moldir_site_built")
page_writers = OrderedSignal("moldir_page_writers")
template_helpers = OrderedSignal("moldir_template_helpers")
feed_generated = OrderedSignal("moldir_feed_generated")
