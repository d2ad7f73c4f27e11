"""ember.linalg: torch.linalg's names for the ops in ember.ops.linalg."""
from .ops.linalg import cholesky, det, inv, matrix_norm, solve, vector_norm  # noqa: F401
from .ops.linalg import linalg_norm as norm  # noqa: F401
from .ops.linalg import matmul  # noqa: F401
