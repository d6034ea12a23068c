"""Typed settings of Veille and the YAML files users edit (imports nothing of ours)."""

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
