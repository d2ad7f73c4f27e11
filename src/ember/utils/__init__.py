"""ember.utils (data utilities live in ember.utils.data)."""
