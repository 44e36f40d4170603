"""The glue to MkDocs: the plugin, its configuration, the generated pages, the problem page, the watcher. The only package that imports MkDocs."""
