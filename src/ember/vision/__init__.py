"""ember.vision: datasets, transforms, models, detection ops and evaluation (submodules, lazy).

Nothing heavy is imported here; use ``ember.vision.ops``, ``ember.vision.detection`` etc.
"""
