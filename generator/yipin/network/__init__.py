"""The network of Yipin sites: reading other sites' published files (fetch.py), a portal's
member sites (members.py), and who copied whom across them (copies.py)."""
