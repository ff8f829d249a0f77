"""Whether this is a taskctl process (set by :func:`taskctl.cli.main`) rather than the CLI run
in-process by a test or a caller: only a process that exits after one answer may freeze the
collector. A module of its own so that ``taskctl --help`` need not import the options."""

STANDALONE = False
