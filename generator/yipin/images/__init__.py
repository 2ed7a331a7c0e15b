"""Gallery images and logos: a fast, cached, privacy-safe pipeline on Pillow.

    plan      the recipe (every option, one place), widths, cache keys, published names
    encode    one source → its variants (draft decode, chained resizes, no metadata)
    crop      the square thumbnail: around a focus, the centre, or a graphic whole
    cache     variants by content hash, and the stat index that skips unchanged sources
    check     is a file a whole picture the encoder can make variants of (yipin check)
    run       the build stage: the cache first, then a process pool for what is missing
              (also for other pictures drawn at build time: Jobs)
    variants  one source as published: its variants' URLs, sizes and files
"""

from yipin.images.cache import DEFAULT_FOLDER, ImageCache
from yipin.images.check import MAX_PIXELS, ImageChecker
from yipin.images.crop import Focus
from yipin.images.plan import RECIPE, Recipe, plan_widths
from yipin.images.run import Job, make_entries, prepare_images
from yipin.images.variants import Picture, Variant

__all__ = [
    "DEFAULT_FOLDER", "Focus", "ImageCache", "ImageChecker", "Job", "MAX_PIXELS", "Picture", "Variant", "RECIPE",
    "Recipe", "make_entries", "plan_widths", "prepare_images",
]
