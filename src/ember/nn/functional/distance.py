"""ember.nn.functional.distance (being written)."""
__all__: list = []
