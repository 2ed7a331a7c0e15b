"""Gallery images and logos: a fast, cached, privacy-safe pipeline on Pillow.

    plan      the recipe (every option, one place), widths, cache keys, published names
    encode    one source → its variants (draft decode, chained resizes, no metadata)
    cache     variants by content hash, and the stat index that skips unchanged sources
    run       the build stage: the cache first, then a process pool for what is missing
    media     what templates see: pictures, galleries, logos, thumbnails
"""

from .cache import DEFAULT_FOLDER, ImageCache
from .media import GalleryItem, Media, Picture, Variant
from .plan import RECIPE, Recipe, plan_widths
from .run import case_images, prepare_images

__all__ = [
    "DEFAULT_FOLDER", "ImageCache", "GalleryItem", "Media", "Picture", "Variant", "RECIPE", "Recipe", "plan_widths",
    "case_images", "prepare_images",
]
