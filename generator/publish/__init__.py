"""What a build writes: the site, open data, the feed, PDFs, search, the manifest and redirects, staging. Imports everything below it, never MkDocs."""
