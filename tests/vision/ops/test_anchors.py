"""AnchorGenerator vs torchvision's published values (defaults and its unit-test grid)."""
import numpy as np
import pytest

from ember.vision.ops import AnchorGenerator


def test_default_cell_anchors_equal_torchvision():
    # torchvision AnchorGenerator() cell anchors (sizes 128/256/512 x ratios 0.5/1/2), ratio-major
    expected = np.array([[-91, -45, 91, 45], [-181, -91, 181, 91], [-362, -181, 362, 181],
                         [-64, -64, 64, 64], [-128, -128, 128, 128], [-256, -256, 256, 256],
                         [-45, -91, 45, 91], [-91, -181, 91, 181], [-181, -362, 181, 362]], float)
    gen = AnchorGenerator()
    np.testing.assert_array_equal(gen.cell_anchors[0], expected)
    assert gen.num_anchors_per_location() == [9]


def test_grid_matches_torchvision_unit_test():
    # torchvision test_anchor_generator: sizes ((10,),), ratios ((1,),), 15x15 image, 3x3 map
    gen = AnchorGenerator(((10,),), ((1.0,),))
    anchors = gen((15, 15), [(3, 3)])
    expected = np.array([[-5, -5, 5, 5], [0, -5, 10, 5], [5, -5, 15, 5], [-5, 0, 5, 10],
                         [0, 0, 10, 10], [5, 0, 15, 10], [-5, 5, 5, 15], [0, 5, 10, 15],
                         [5, 5, 15, 15]], float)
    np.testing.assert_array_equal(anchors, expected)


def test_multi_level_shapes_and_centres():
    gen = AnchorGenerator(((32,), (64,)), (0.5, 1.0, 2.0))  # flat ratios: repeated per level
    grids = [(8, 8), (4, 4)]
    per_level = gen.grid_anchors(grids, [(8, 8), (16, 16)])
    assert [a.shape for a in per_level] == [(8 * 8 * 3, 4), (4 * 4 * 3, 4)]
    centres = (per_level[1][:, :2] + per_level[1][:, 2:]) / 2
    np.testing.assert_array_equal(np.unique(centres[:, 0]), np.arange(4) * 16.0)
    ratios = (per_level[0][:3, 3] - per_level[0][:3, 1]) / (per_level[0][:3, 2] - per_level[0][:3, 0])
    # corners are rounded to whole pixels, so a 32-px anchor's h/w is within 10% of the ratio
    assert np.all(np.abs(ratios / [0.5, 1.0, 2.0] - 1) < 0.1)


def test_anchor_bad_inputs():
    with pytest.raises(ValueError, match="positive"):
        AnchorGenerator(((0,),))
    with pytest.raises(ValueError, match="one entry per feature map"):
        AnchorGenerator(((8,), (16,)), ((1.0,), (1.0,), (2.0,)))
    with pytest.raises(ValueError, match="levels"):
        AnchorGenerator().grid_anchors([(2, 2), (1, 1)], [(8, 8), (16, 16)])
