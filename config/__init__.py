"""Typed settings of Veille and the YAML files users edit (imports nothing of ours).

The names below are loaded on first use, so that importing a light module of this package
(`config.plugins`, `config.errors`) does not import pydantic-settings.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.errors import ConfigError
    from config.loading import load_settings
    from config.settings import (
        AlertSettings,
        BrandSettings,
        DatabaseSettings,
        ReportSettings,
        Settings,
        SmtpSettings,
        SourceKind,
        SourceSettings,
    )

_HOMES = {
    "ConfigError": "config.errors",
    "load_settings": "config.loading",
    **dict.fromkeys(
        [
            "AlertSettings", "BrandSettings", "DatabaseSettings", "ReportSettings", "Settings",
            "SmtpSettings", "SourceKind", "SourceSettings",
        ],
        "config.settings",
    ),
}  # fmt: skip

__all__ = [
    "AlertSettings",
    "BrandSettings",
    "ConfigError",
    "DatabaseSettings",
    "ReportSettings",
    "Settings",
    "SmtpSettings",
    "SourceKind",
    "SourceSettings",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'config' has no attribute {name!r}")
