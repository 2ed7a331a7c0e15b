"""Bringing in what staff already have: activity sheets (Excel, WPS, CSV) into a case, and
articles (Word, saved WeChat pages, text) as draft cases. `yipin import` drives it."""
