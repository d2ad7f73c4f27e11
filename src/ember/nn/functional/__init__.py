"""ember.nn.functional: a package split by family (torch's F), re-exported here.

Core ops that torch also exposes in F (pad, softmax, log_softmax, relu, sigmoid, tanh) come
from ember.ops."""
from ...ops import log_softmax, pad, relu, sigmoid, softmax, tanh  # noqa: F401
from .activation import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .vision import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .embedding import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .distance import *  # noqa: F401,F403
from .ctc import *  # noqa: F401,F403
