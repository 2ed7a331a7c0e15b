"""Yipin (一品): records of community governance brands → a website and headless data.

The pipeline, one subpackage per stage:

    content/    read and validate the records (models, reader, rules, messages)
    site/       derive the site: published cases, their dates and places
    calendar/   the activities' occurrences and iCalendar feeds
    images/     gallery pictures and logos as responsive variants
    render/     pages, the JSON API, feeds, starters, QR codes, the web editor's files
    search/     the search index (Pagefind) and simplified/traditional Chinese
    build/      the pipeline in order, the cached outputs, the atomic writing

Around it: config.py (a site's settings), cache.py (what a rebuild reuses), tools/ (the
pinned front-end tools), commands/ (the `yipin` command) and plugin.py (the MkDocs adapter).
Nothing below commands/ and plugin.py imports MkDocs.
"""

from yipin.errors import ContentError, ContentErrors, MachineError, YipinError

__all__ = ["__version__", "ContentError", "ContentErrors", "MachineError", "YipinError"]
__version__ = "0.5.0"
