"""datadirectives: charts, tables and numbers from CSVs, written as directives in Markdown.

A Pelican plugin; the directive reference is docs/directives.md. `register()` shows the data
flow: each receiver is a module-level function in plugin.py.
"""

from pelican import signals

from . import plugin


def register():
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(plugin.initialized)
    signals.readers_init.connect(plugin.readers_init)
    signals.content_object_init.connect(plugin.content_object_init)
    signals.finalized.connect(plugin.finalized)
