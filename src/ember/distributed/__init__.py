"""ember.distributed: data parallelism and model parallelism, simulated on one machine.

TOPICS §1.1: every replica holds the full model, gets a slice of the batch, computes gradients;
gradients are averaged (all-reduce) and every replica applies the same update. With a batch-mean
loss and no batch-statistics layers this equals one step on the full batch (4 workers x 64 = 1 x
256). ``ProcessGroup`` is an in-process simulation of N ranks; with mpi4py installed
(``pip install ember[mpi]``) ``MPIProcessGroup`` does the same over real processes.
"""
from .data_parallel import DataParallel, DistributedDataParallel, data_parallel_step
from .model_parallel import PipelineModel, transfer
from .process_group import (MPIProcessGroup, ProcessGroup, ReduceOp, all_reduce, get_rank,
                            get_world_size, init_process_group, is_initialized)

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel_step", "PipelineModel",
           "transfer", "ProcessGroup", "MPIProcessGroup", "ReduceOp", "all_reduce", "get_rank",
           "get_world_size", "init_process_group", "is_initialized"]
