"""ember.utils.data: Dataset, DataLoader, samplers (being written)."""
