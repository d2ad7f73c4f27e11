"""ember.nn.init: weight initialisation schemes (being written)."""
