"""Documents filled from the warehouse: Word files from templates and the WZK meeting as slides."""
