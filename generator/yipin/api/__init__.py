"""The headless outputs for other programs: versioned JSON under api/v1/ (files.py), each
response's shape as a model whose JSON Schema is published at schema/api/ (models.py), and
the site manifest other sites and portals read (api/v1/site.json)."""
