"""The pipeline: plain functions from a project's ``datasets/`` to what the site publishes.

discover (folders and descriptors) → limits and hints (the raw bytes, before any parser) →
validate (Frictionless, fast path in ``fastcheck``) → tables → downloads → portal (all of
it, for every dataset, with Moldir's extension points in ``signals``). Labels and the HTML
allowlist serve the pages. Nothing here imports Pelican or the incremental build: the
site passes in what it needs (docs/architecture.md).
"""
