"""The base of every record model.

The models are the one source of truth for the record format: the JSON Schema, the
field reference of the editor guide and the CMS configuration are generated from them.
So every field carries a Chinese ``title`` and ``description`` (shown by editors while
staff type), and every model's docstring is its Chinese description in the schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Record", "field"]


class Record(BaseModel):
    model_config = ConfigDict(
        extra="forbid",              # an unknown key is almost always a typo
        frozen=True,
        coerce_numbers_to_str=True,  # `slogan: 2024` is text, not a type error
        validate_default=False,
    )


def field(title: str, description: str, default: Any = ..., **kwargs: Any) -> Any:
    """A model field with the Chinese title and description every field must have."""
    return Field(default, title=title, description=description, **kwargs)
