"""The incremental build: what makes ``moldir build`` fast when little has changed.

Beside the layers, never below them: nothing in ``moldir.pipeline`` or ``moldir.model``
imports it (the pipeline asks a ``moldir.pipeline.memo.Memo``, which the site passes in),
and it imports nothing but the model (and no Pelican: the Pelican classes that use it are
``moldir.site.writer`` and ``moldir.site.markdown``).

- ``fingerprints`` — digests of what results depend on: the code, a dataset's files and
  inputs, the whole site, the "theme" and "content" frames of pages.
- ``store`` — ``.moldir-cache/``: per-dataset results (validation, tables, downloads,
  the features' per-dataset results), the record of the last output.
- ``reuse`` — which pages and files of the previous output can be linked unchanged, the
  template globals and dataset extras declared as part of a page's key.
- ``markdown`` — converted Markdown of the last build.
"""
