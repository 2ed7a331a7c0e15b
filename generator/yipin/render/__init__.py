"""Rendering the outputs of a derived site: pages (Markdown for MkDocs), the JSON API, the
Atom feed, starters, QR codes, the web editor's files, and the page-level policy (CSP)."""
