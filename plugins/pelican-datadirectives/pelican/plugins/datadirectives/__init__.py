"""datadirectives: charts, tables and numbers from CSVs, written as directives in Markdown.

A Pelican plugin (the package's README: install, settings, theme contract; every directive:
docs/directives.md in its repository). `register()` shows the data flow: each receiver is a
module-level function.
"""

from pelican import signals

from . import pagesets, plugin


def register():
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(plugin.initialized)  # settings, data package, extension
    signals.readers_init.connect(plugin.readers_init)  # directives know their file
    signals.get_generators.connect(pagesets.get_generators)  # pages generated from CSV groups
    signals.generator_init.connect(plugin.generator_init)  # chart loader URL for templates
    signals.content_object_init.connect(plugin.content_object_init)  # data links, share image
    signals.all_generators_finalized.connect(plugin.all_generators_finalized)  # stop if wrong
    signals.get_generators.connect(plugin.get_generators)  # CSVs, charts.css, cards, runtime
    signals.content_written.connect(plugin.content_written)  # held figures put back
    signals.feed_generated.connect(plugin.feed_generated)  # ... and into feeds
    signals.finalized.connect(plugin.finalized)  # changed numbers, summary line
