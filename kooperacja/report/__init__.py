"""The effects report for the Zarząd Województwa: figures, PDF, XLSX."""
