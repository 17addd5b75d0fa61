"""The incremental build: fingerprints of every input, the ``.moldir-cache/`` store, pages
reused from the last build and stage timings. Used by the site, the features and the
command line; nothing in the pipeline or the model depends on it, so a build without it
(``MOLDIR_NO_CACHE=1``) is the same build, only slower.
"""
