"""ember.nn.modules.pooling (being written)."""
__all__: list = []
