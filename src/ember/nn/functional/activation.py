"""ember.nn.functional.activation (being written)."""
__all__: list = []
