"""Publish Danish housing-social delaftaler from YAML as a searchable MkDocs site."""
