"""The model's own documents filled from the warehouse: Word (word.py) and the WZK slides (slides.py)."""
