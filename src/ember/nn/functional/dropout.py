"""ember.nn.functional.dropout (being written)."""
__all__: list = []
