"""ember.nn.functional.normalization (being written)."""
__all__: list = []
