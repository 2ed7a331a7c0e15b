"""Search: the simplified forms of traditional text for the index (variants.py) and
Pagefind, run over the built site (index.py)."""
