"""ember.nn.modules.distance (being written)."""
__all__: list = []
