"""The site: the only layer that imports Pelican. The plugin and its generators, one
Pelican run per language, templating (filters, gettext, autoescaping), the content checks,
the theme's assets, the Content-Security-Policy, and the build into a staging folder that
is swapped into ``output/`` only when every run succeeded.
"""
