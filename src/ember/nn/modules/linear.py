"""ember.nn.modules.linear (being written)."""
__all__: list = []
