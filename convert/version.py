"""The toolkit's version: the one place it is written (pyproject.toml reads it from here).

Reading it from the installed distribution's metadata cost about 30 ms of start-up
(importlib.metadata). A module of its own, so the modules that stamp it on outputs, and the
batch that keys every output by it, need not import the package (which imports them).
"""

__version__ = "0.2.0"
