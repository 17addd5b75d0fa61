"""Features: what the portal shows beyond the dataset pages, each wired only through
Moldir's extension points (``moldir.pipeline.signals``) — charts, the kinds of government
data (appeals, budget, receptions) with their topic pages, search, the catalogue and its
facets, the quality report, and open data (catalogues, API, history, feeds).

A feature is listed in ``moldir.FEATURES`` and has a ``connect()``; it never imports
Pelican or ``moldir.site``.
"""
