"""The one error type a bad configuration raises."""


class ConfigError(Exception):
    """A configuration problem: the message names the file, the key and what is allowed."""

    exit_code = 2
