"""ember.nn.functional.embedding (being written)."""
__all__: list = []
