"""The benchmark of pages, queries, import/export and reports."""
