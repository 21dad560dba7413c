"""The demo's commands (see :mod:`chitra.demo`)."""
