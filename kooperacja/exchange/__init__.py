"""Registries as XLSX/CSV: export, parsing, checking and writing an import."""
