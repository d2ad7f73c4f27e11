"""ember.models: reference models built from ember.nn (sequence-to-sequence, …)."""
from .seq2seq import Decoder, Encoder, Seq2Seq, make_reversal_data  # noqa: F401

__all__ = ["Encoder", "Decoder", "Seq2Seq", "make_reversal_data"]
