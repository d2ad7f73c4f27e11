"""ember.nn.modules.normalization (being written)."""
__all__: list = []
