"""Errors the command line turns into one sentence and an exit code."""


class CommandError(Exception):
    """A failure worded for a person (exit code 1)."""

    exit_code = 1


class UsageError(CommandError):
    """A wrong argument or option (exit code 2)."""

    exit_code = 2
