"""Deriving the site from valid content: published cases, their dates and places (derive.py)
and the places' page addresses (places.py)."""
