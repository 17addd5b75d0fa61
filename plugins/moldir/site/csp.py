"""The portal's Content-Security-Policy, in one place (docs/security.md).

Pages carry it in a ``<meta http-equiv>`` element (so hosts that cannot send headers, such
as GitHub Pages, still apply it), and the deploy recipes send the same text as a header
(``content/extra/_headers``, ``deploy/nginx.conf``); a test keeps the three equal.

What it allows, and why:

- ``script-src 'self' 'wasm-unsafe-eval'``: the theme's script files and Pagefind's
  WebAssembly; no inline script, no ``eval``. JSON-LD (``application/ld+json``) is data
  and is not subject to it.
- ``style-src 'self'``: the stylesheet only; no ``<style>`` and no ``style=""`` (chart SVG
  is styled by classes, bars are SVG sized by attributes). Scripts may still set styles
  through the DOM (the chart tooltip's position).
- ``img-src 'self' https: data:``: images of the portal and images a Markdown page takes
  from another site over https.
- ``object-src 'none'``, ``base-uri 'none'``, ``form-action 'self'`` and ``'self'`` for
  everything else. No ``frame-ancestors``: chart pages are made to be embedded.
"""

from __future__ import annotations

POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval'; "
    "style-src 'self'; "
    "img-src 'self' https: data:; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'self'"
)

# The Pelican setting that replaces POLICY in the pages' <meta> ("" leaves it out, for a
# host that sends its own header); the headers of the deploy recipes are edited by hand.
SETTING = "MOLDIR_CONTENT_SECURITY_POLICY"
