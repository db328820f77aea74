"""Errors the CLI reports without a traceback, with their exit codes."""

EXIT_OK = 0
EXIT_FAILED = 1        # the playbook ran and failed
EXIT_INVALID = 2       # refused before anything ran
EXIT_NOT_STARTED = 3   # the run could not start (ansible-runner or the environment)
EXIT_INTERRUPTED = 130


class ValidationError(Exception):
    """Bad input, found before any run directory exists."""


class RunLocked(Exception):
    """Another run on the same inventory holds the lock."""
