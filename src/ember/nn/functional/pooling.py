"""ember.nn.functional.pooling (being written)."""
__all__: list = []
