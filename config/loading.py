"""Load settings: defaults < YAML file < .env < environment < command line, with readable errors."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsError

from config import yamlfile
from config.errors import ConfigError
from config.settings import PluginNames, Settings

DEFAULT_CONFIG = Path("veille.yaml")
ENV_PREFIX = "VEILLE_"
_NAMED_KEY = re.compile(r"^([A-Za-z_][\w.\[\]]*): ")


class _YamlDataSource(PydanticBaseSettingsSource):
    """Hands the already-parsed YAML mapping to pydantic-settings as one more source."""

    def __init__(self, settings_cls: type[BaseSettings], data: dict[str, Any]) -> None:
        super().__init__(settings_cls)
        self.data = data

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self.data)


class _SettingsOnly(PydanticBaseSettingsSource):
    """The `.env` file's values for the settings only: the file also holds the secrets other
    parts read from the environment (VEILLE_WEB_SECRET, VEILLE_USER_PASSWORD, a network's
    token…), which are no setting and must not stop every command. A key under a known
    section is still checked (VEILLE_SMTP__PASWORD is refused)."""

    def __init__(self, inner: PydanticBaseSettingsSource) -> None:
        super().__init__(inner.settings_cls)
        self.inner = inner

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.inner.get_field_value(field, field_name)

    def __call__(self) -> dict[str, Any]:
        known = set(self.settings_cls.model_fields)
        return {k: v for k, v in self.inner().items() if k in known}


def load_settings(
    path: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env_file: str | Path | None = ".env",
    plugins: Mapping[str, PluginNames] | None = None,
) -> Settings:
    """Build the settings; `path=None` reads ./veille.yaml when present, else built-in defaults.

    `plugins` maps a kind of plugin (forum_engine, stage, labeler…) to the registered names
    (or a function giving them): fields naming plugins are checked against them.
    Raises ConfigError (exit code 2) naming the file, the key path and what is allowed.
    """
    config_path: Path | None
    if path is not None:
        config_path = Path(path)
        if not config_path.is_file():
            raise ConfigError(
                f"{config_path}: no such configuration file; check the path given to --config "
                "or run `veille init` to write one"
            )
    else:
        config_path = DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None

    text = ""
    data: dict[str, Any] = {}
    if config_path is not None:
        text, data = _read_yaml(config_path)
        if isinstance(data.get("smtp"), dict) and "password" in data["smtp"]:
            raise ConfigError(
                f"{config_path}: smtp.password: secrets are never read from files; remove it "
                "and set the environment variable VEILLE_SMTP__PASSWORD instead"
            )
        if isinstance(data.get("privacy"), dict) and "pseudonym_key" in data["privacy"]:
            raise ConfigError(
                f"{config_path}: privacy.pseudonym_key: secrets are never read from files; "
                "remove it and set the environment variable VEILLE_PRIVACY__PSEUDONYM_KEY instead"
            )

    settings_cls = _with_yaml_source(data)
    dotenv = env_file if env_file is not None and Path(env_file).is_file() else None
    try:
        settings = settings_cls(_env_file=dotenv, **dict(overrides or {}))  # type: ignore[call-arg]
        checked = Settings.model_validate(settings.model_dump())
        if plugins:
            _check_plugin_names(checked, plugins)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, config_path, text)) from None
    except SettingsError as exc:
        raise ConfigError(_environment_problem(exc, dotenv)) from None
    base = config_path.resolve().parent if config_path is not None else Path.cwd()
    return _resolve_paths(checked, base)


def _environment_problem(exc: SettingsError, dotenv: str | Path | None) -> str:
    """A section given whole in one variable (VEILLE_SMTP=…) that is not JSON: name it."""
    found = re.search(r'field "(\w+)"', str(exc))
    field = found.group(1) if found else None
    var = ENV_PREFIX + (field or "").upper()
    where = (
        f"environment variable {var}"
        if field and var in {k.upper() for k in os.environ}
        else f"{dotenv}: {var}" if field and dotenv else "the environment"
    )  # fmt: skip
    if field is None:
        return f"{where}: {exc}; check the VEILLE_… variables"
    return (
        f"{where}: the {field} section given whole must be a JSON object (such as "
        f'{{"host": "smtp.example.org"}}); or set its keys one by one, e.g. '
        f"{var}__HOST=smtp.example.org"
    )


def _check_plugin_names(settings: Settings, plugins: Mapping[str, PluginNames]) -> None:
    """Validate again with the registered names in the context (see settings.registered).

    A BaseSettings is built through its own __init__, which drops pydantic's validation
    context, so the check runs on a plain model with the same fields.
    """
    _plain_settings().model_validate(settings.model_dump(), context={"plugins": dict(plugins)})


@cache
def _plain_settings() -> type[BaseModel]:
    fields: dict[str, Any] = {n: (f.annotation, f) for n, f in Settings.model_fields.items()}
    return create_model("PlainSettings", __config__=ConfigDict(extra="forbid"), **fields)


def _read_yaml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text; save it as UTF-8 YAML") from None
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot be read ({exc.strerror}); check its permissions"
        ) from None
    try:
        data = yamlfile.load(text)
    except yamlfile.RefusedYAML as exc:
        raise ConfigError(f"{path}: line {exc.line}, column {exc.column}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}: {where}{problem}; fix the YAML syntax") from None
    if data is None:
        return text, {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: the top level must be a mapping of sections (database, brands, sources, …), "
            f"not a {type(data).__name__}"
        )
    return text, data


def _with_yaml_source(data: dict[str, Any]) -> type[Settings]:
    class _LoadedSettings(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            # Earlier wins: command line > environment > .env > YAML file > defaults.
            return (
                init_settings,
                env_settings,
                _SettingsOnly(dotenv_settings),
                _YamlDataSource(settings_cls, data),
            )

    return _LoadedSettings


def _key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not out:
            out = str(part)
        else:
            out += f".{part}"
    return out or "(top level)"


def _allowed(error: Mapping[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error["type"]
    given = error.get("input")
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        expected = expected.replace(" or ", ", ")
        return f"{given!r} is not one of {expected}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        return f"unknown key {key!r}; check its spelling against config/veille.example.yaml"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    msg = str(error["msg"])
    return f"{given!r}: {msg[0].lower()}{msg[1:]}" if not isinstance(given, dict | list) else msg


def _origin(loc: tuple[int | str, ...], config_path: Path | None) -> str:
    names: list[str] = []
    for part in loc:
        if isinstance(part, int):
            break
        names.append(str(part))
    env = {k.upper() for k in os.environ}
    for n in range(len(names), 0, -1):
        var = ENV_PREFIX + "__".join(names[:n]).upper()
        if var in env:
            return f"environment variable {var}"
    return str(config_path) if config_path is not None else "built-in defaults"


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    try:
        node = yamlfile.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == part), None)
            if found is None:
                return line
            key, node = found
            line = key.start_mark.line + 1
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _describe(exc: ValidationError, config_path: Path | None, text: str) -> str:
    lines = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        where = _origin(loc, config_path)
        message = _allowed(error)
        named = _NAMED_KEY.match(message)
        if not loc and named:
            key, message = named.group(1), message[named.end() :]  # cross-field checks name keys
        else:
            key = _key_path(loc)
        line = _line_of(text, loc) if where == str(config_path) and text else None
        suffix = f" (line {line})" if line else ""
        lines.append(f"{where}: {key}: {message}{suffix}")
    return "\n".join(lines)


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    """Relative paths in the config are relative to the config file's folder."""

    def absolute(value: str) -> str:
        p = Path(value).expanduser()
        return str(p if p.is_absolute() else (base / p))

    url = settings.database.url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rest = url[len("sqlite:///") :]
        if rest and rest != ":memory:" and not rest.startswith("file:"):
            settings.database.url = "sqlite:///" + absolute(rest)
    settings.reports.output_dir = absolute(settings.reports.output_dir)
    settings.alerts.outbox_dir = absolute(settings.alerts.outbox_dir)
    settings.nlp.models_dir = absolute(settings.nlp.models_dir)
    if settings.backup.folder:
        settings.backup.folder = absolute(settings.backup.folder)
    for source in settings.sources:
        if source.path:
            source.path = absolute(source.path)
    for calendar in settings.events.calendars:
        if calendar.path:
            calendar.path = absolute(calendar.path)
    return settings
