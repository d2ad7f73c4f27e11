"""ember.nn.modules.batchnorm (being written)."""
__all__: list = []
