"""ember.nn.functional.vision (being written)."""
__all__: list = []
