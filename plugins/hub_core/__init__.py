"""hub_core: what every Hub plugin shares. Not a Pelican plugin: it has no register().

Findings and the build log that renders them, located YAML, atomic writes into the output,
cache storage, image headers, 'did you mean' hints. Nothing here imports a plugin
(tests/site/test_architecture.py holds that); docs/architecture.md draws the whole picture.
"""
