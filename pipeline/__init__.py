"""The `veille` command line, its jobs and the scheduler (imports every floor below)."""
