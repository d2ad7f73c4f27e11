"""ember.nn.functional.linear (being written)."""
__all__: list = []
