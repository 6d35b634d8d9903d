"""Exit codes, in one place."""

OK = 0  # clean
FINDINGS = 1  # findings at or above the threshold (check), warnings with --strict (validate)
BAD_INPUT = 2  # unusable input or a usage mistake
INTERNAL = 3  # a bug in opsbook: please report it
INTERRUPTED = 130  # stopped by Ctrl-C, SIGTERM or SIGHUP (128 + SIGINT, as shells report it)
