"""Settings: defaults, each precedence step, and every kind of configuration error."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError, load_settings

GOOD = """
database:
  url: sqlite:///var/a.db
brands:
  - name: Lumino
    query: [lumino]
    competitors: [Rivéo]
  - name: Rivéo
    query: 'riveo OR rivéo'
sources:
  - name: forum
    kind: forum
    url: https://forum.example.org/
  - name: tw
    kind: twitter_export
    path: inbox/tw
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("VEILLE_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def write(tmp_path: Path, text: str, name: str = "veille.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path | None) -> str:
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    return str(info.value)


def test_no_file_gives_working_defaults(tmp_path: Path) -> None:
    s = load_settings()
    assert s.database.url == f"sqlite:///{tmp_path}/var/veille.db"
    assert s.brands == [] and s.sources == []
    assert s.nlp.profile == "accurate"
    assert s.reports.output_dir == str(tmp_path / "var/reports")


def test_default_file_in_working_folder_is_read(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    s = load_settings()
    assert [b.name for b in s.brands] == ["Lumino", "Rivéo"]
    assert s.brand("lumino").competitors == ["Rivéo"]


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    sub = tmp_path / "ws"
    sub.mkdir()
    s = load_settings(write(sub, GOOD))
    assert s.database.url == f"sqlite:///{sub}/var/a.db"
    assert s.source("tw").path == str(sub / "inbox/tw")


def test_yaml_overrides_defaults(tmp_path: Path) -> None:
    s = load_settings(write(tmp_path, "alerts:\n  min_negative: 3\n"))
    assert s.alerts.min_negative == 3
    assert s.alerts.bucket_minutes == 5  # untouched keys keep their default


def test_dotenv_overrides_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "alerts:\n  min_negative: 3\n")
    (tmp_path / ".env").write_text("VEILLE_ALERTS__MIN_NEGATIVE=4\n")
    assert load_settings(path).alerts.min_negative == 4


def test_dotenv_may_hold_the_secrets_that_are_no_setting(tmp_path: Path) -> None:
    """The service's .env also holds VEILLE_WEB_SECRET, VEILLE_USER_PASSWORD, a network's
    token: they stopped every command ("veille.yaml: veille_web_secret: unknown key")."""
    path = write(tmp_path, "alerts:\n  min_negative: 3\n")
    (tmp_path / ".env").write_text(
        "VEILLE_WEB_SECRET=long-random\nVEILLE_USER_PASSWORD=x\nVEILLE_MASTODON_TOKEN=t\n"
        "VEILLE_ALERTS__MIN_NEGATIVE=4\n"
    )
    assert load_settings(path).alerts.min_negative == 4
    (tmp_path / ".env").write_text("VEILLE_SMTP__PASWORD=typo\n")  # a setting's key: checked
    with pytest.raises(ConfigError, match="pasword"):
        load_settings(path)


def test_environment_overrides_dotenv_and_keeps_sibling_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "database:\n  url: sqlite:///var/x.db\n  batch_size: 77\n")
    (tmp_path / ".env").write_text("VEILLE_DATABASE__URL=sqlite:///var/dotenv.db\n")
    monkeypatch.setenv("VEILLE_DATABASE__URL", "postgresql+psycopg://u@h/db")
    s = load_settings(path)
    assert s.database.url == "postgresql+psycopg://u@h/db"
    assert s.database.batch_size == 77


def test_command_line_overrides_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VEILLE_LOG_LEVEL", "ERROR")
    s = load_settings(write(tmp_path, "log_level: INFO\n"), overrides={"log_level": "DEBUG"})
    assert s.log_level == "DEBUG"


def test_smtp_password_only_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = error_of(write(tmp_path, "smtp:\n  host: mail\n  password: hunter2\n"))
    assert "smtp.password" in message and "VEILLE_SMTP__PASSWORD" in message
    assert "hunter2" not in message
    monkeypatch.setenv("VEILLE_SMTP__PASSWORD", "s3cret")
    s = load_settings(write(tmp_path, "smtp:\n  host: mail\n"))
    assert s.smtp.password is not None and s.smtp.password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(s) and "s3cret" not in str(s.model_dump())


def test_bad_source_kind_names_file_key_and_allowed_values(tmp_path: Path) -> None:
    text = GOOD + "  - name: x\n    kind: twiter\n    url: http://x.org\n"
    message = error_of(write(tmp_path, text))
    assert message.startswith(
        f"{tmp_path / 'veille.yaml'}: sources[2].kind: 'twiter' is not one of forum, discourse, "
        "rss, reviews, mastodon, bluesky, reddit, youtube, twitter_export, facebook_export"
    )
    assert message.endswith("(line 18)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("brands:\n  - name: A\n", "brands[0].query: is required"),
        ("databse:\n  url: x\n", "databse: unknown key 'databse'"),
        ("brands:\n  - name: A\n    query: [a]\n    competitors: [Zed]\n",
         "brands[0].competitors: 'Zed' is not a configured brand"),
        ("sources:\n  - name: f\n    kind: forum\n", "sources[0]: a forum source needs a url"),
        ("sources:\n  - name: t\n    kind: twitter_export\n",
         "sources[0]: a twitter_export source needs a path"),
        ("schedules:\n  nightly_run: 'at two'\n", "schedules.nightly_run: 'at two' is not a crontab"),
        ("reports:\n  languages: [de]\n", "reports.languages[0]: 'de' is not one of fr, en"),
        ("alerts:\n  threshold: 3\n", "alerts.threshold: 3: input should be less than or equal to 1"),
        ("database:\n  url: mysql://x\n", "database.url: 'mysql://x' is not a supported database URL"),
        ("brands:\n  - {name: A, query: a}\n  - {name: a, query: b}\n",
         "brands: brand name 'a' appears twice"),
        # One check per kind of value, wherever the value appears (config/settings.py types).
        ("brands:\n  - {name: A, query: a, timezone: Paris}\n",
         "brands[0].timezone: 'Paris' is not a time zone name"),
        ("schedules:\n  timezone: CET+1\n", "schedules.timezone: 'CET+1' is not a time zone name"),
        ("alerts:\n  targets:\n    t: {to: [a@b.example], timezone: Paris}\n",
         "alerts.targets.t.timezone: 'Paris' is not a time zone name"),
        ("alerts:\n  targets:\n    t: {to: [a@b.example, nobody]}\n",
         "alerts.targets.t.to[1]: 'nobody' is not an e-mail address"),
        ("alerts:\n  recipients:\n    Lumino: [nobody]\n",
         "alerts.recipients.Lumino[0]: 'nobody' is not an e-mail address"),
        ("alerts:\n  targets:\n    t: {channel: slack, url_env: 'https://hooks.example/x'}\n",
         "alerts.targets.t.url_env: 'https://hooks.example/x' is not an environment variable"),
        ("- just\n- a list\n", "the top level must be a mapping"),
        ("brands: [\n", "fix the YAML syntax"),
    ],
)  # fmt: skip
def test_each_configuration_error_is_one_clear_message(
    tmp_path: Path, text: str, expected: str
) -> None:
    message = error_of(write(tmp_path, text))
    assert message.startswith(str(tmp_path / "veille.yaml") + ": ")
    assert expected in message


def test_a_moved_key_is_read_where_it_was_and_the_log_says_where_it_is_now(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`handoff.workspace_url` (before `web.url` linked alert messages too) keeps working."""
    old = "handoff:\n  workspace_url: https://veille.example/\n  lookback_hours: 12\n"
    with caplog.at_level("WARNING", logger="veille.config"):
        settings = load_settings(write(tmp_path, old))
    assert settings.web.url == "https://veille.example" and settings.handoff.lookback_hours == 12
    assert settings.web.page("/alerts/3") == "https://veille.example/alerts/3"
    assert "handoff.workspace_url is now web.url" in caplog.text
    same = old + "web:\n  url: https://veille.example/\n"
    assert load_settings(write(tmp_path, same)).web.url == "https://veille.example"
    both = old + "web:\n  url: https://other.example\n"
    assert "keep web.url only" in error_of(write(tmp_path, both))
    assert "is not an http(s) address" in error_of(write(tmp_path, "web:\n  url: veille\n"))
    from config.settings import Settings

    assert Settings.model_validate({}).web.page("/alerts/3") is None  # no url, no link


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "database:\n  url: x\n  batch_size: [1\nbrands: 2\n"))
    assert "line " in message


def test_bad_environment_value_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VEILLE_ALERTS__MIN_NEGATIVE", "many")
    message = error_of(None)
    assert message.startswith(
        "environment variable VEILLE_ALERTS__MIN_NEGATIVE: alerts.min_negative"
    )


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    message = error_of(tmp_path / "nope.yaml")
    assert "no such configuration file" in message and "veille init" in message


def test_example_config_is_valid_and_documents_every_key() -> None:
    example = Path(__file__).resolve().parents[1] / "config" / "veille.example.yaml"
    s = load_settings(example)
    assert s.brands and s.sources
    # the runs it writes are the default ones: a workspace made by `veille init` backs up,
    # applies the retention and reads the calendars
    from config.settings import ScheduleSettings

    assert s.schedules.stages == ScheduleSettings().stages
    assert s.schedules.incremental_stages == ScheduleSettings().incremental_stages
    text = example.read_text(encoding="utf-8")
    from config.settings import Settings

    def keys(model: type, prefix: str = "") -> list[str]:
        out = []
        for name, field in model.model_fields.items():  # type: ignore[attr-defined]
            out.append(name)
            ann = field.annotation
            if isinstance(ann, type) and hasattr(ann, "model_fields"):
                out += keys(ann, prefix + name + ".")
        return out

    missing = [k for k in keys(Settings) if f"{k}:" not in text and f"# {k}:" not in text]
    assert missing == []


def _alias_bomb() -> str:
    """About 1 KB of YAML whose aliases expand to 10¹² strings once loaded."""
    levels = [f"      l0: &l0 [{', '.join(['lol'] * 10)}]"]
    for i in range(1, 12):
        levels.append(f"      l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]")
    return (
        "brands:\n  - {name: Lumino, query: lumino}\nsources:\n  - name: forum\n"
        "    kind: forum\n    url: https://forum.example.org/\n    engine: generic\n"
        "    options:\n" + "\n".join(levels) + "\n"
    )


def test_an_alias_bomb_is_refused_within_a_memory_cap(tmp_path: Path) -> None:
    import resource
    import subprocess
    import sys

    text = _alias_bomb()
    assert 900 < len(text) < 1100
    path = write(tmp_path, text)

    def cap() -> None:  # 1.5 GB of address space: the expansion would need hundreds
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(path), "status"],
        capture_output=True, text=True, timeout=60, preexec_fn=cap, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"Error: {path}: line 9, column 11: &l0: anchors and aliases (&name, *name, <<: *name) "
        "are not accepted in a configuration; write the values out in full\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("defaults: &d {language: fr}\n", "line 1, column 11: &d: anchors and aliases"),
        ("brands:\n  - name: A\n    query: *q\n", "line 3, column 12: *q: anchors and aliases"),
        ("brands: " + "[" * 5000 + "]" * 5000 + "\n",
         "line 1, column 108: nested more than 100 levels deep"),
        ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 3000)),
         "line 100, column 199: nested more than 100 levels deep"),
    ],
)  # fmt: skip
def test_anchors_and_deep_nesting_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    message = error_of(write(tmp_path, text))
    assert message.startswith(f"{tmp_path / 'veille.yaml'}: {expected}")
