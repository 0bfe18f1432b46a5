#!/usr/bin/python3
"""PyTorch CPU baseline for `bin/neuralake bench`: the same networks on the same Fashion-MNIST rows.

Runs (d) one process (`--processes 1`, `--threads N`, default 1) and (d2) DistributedDataParallel
over gloo on 127.0.0.1 (`--processes 2`, one thread each: the engine behind Spark's
TorchDistributor). --threads sizes ATen's OpenMP pool and, unless --blas-threads says otherwise,
OpenBLAS's pool, which runs the Linear layers' GEMMs in Debian's build; --tuned-malloc stops
glibc from returning and re-faulting the heap every step. Run it with Debian's interpreter, which
has Debian's python3-torch:

  /usr/bin/python3 jobs/src/main/python/torch_bench.py --network mlp|cnn [--processes 1|2]
      [--threads 1] [--blas-threads THREADS] [--tuned-malloc] [--device cpu|cuda] [--epochs 3] [--batch-size 64]
      [--rows 60000] [--seed 1]
      [--data-dir /usr/share/datasets/fashion-mnist]

As in the Java bench: the first --rows training rows, pixels / 255, Adam at 1e-3, Xavier-normal
weights (DL4J's XAVIER: variance 2 / (fan_in + fan_out)) and zero biases, softmax cross-entropy,
--batch-size rows per step per process (the last, smaller batch kept), accuracy on the 10,000 test
rows. --device cuda runs one process on the first GPU instead, as a reference for what a card gives
these networks (each epoch's time ends when the GPU's queue is drained). Networks:
  mlp: 784 -> dense 256 relu -> dense 128 relu -> 10
  cnn: conv 3x3x32 relu, pool 2 -> conv 3x3x64 relu, pool 2 -> dense 128 relu, dropout 0.3 -> 10
Under DDP each process trains on its contiguous 1/processes of the rows (any remainder row dropped,
so every process takes the same number of steps); every process reshuffles its rows each epoch
(seed + rank).

Timing covers the training loop only (each epoch's shuffle and batch gathering included; reading the
IDX files, process spawn and the gloo rendezvous excluded). samples_per_second is the samples of
every process over the loop's wall seconds; steady_samples_per_second is the mean of the per-epoch
rates after the first epoch (the only epoch's when --epochs 1), as BenchJob computes it. peak_rss_mb
is ru_maxrss, the largest over the training processes. The last stdout line is one JSON object.
"""
import argparse
import ctypes
import gzip
import json
import os
import resource
import socket
import sys
import time

import numpy as np

try:
    import torch
    import torch.distributed as dist
    import torch.multiprocessing as mp
    from torch import nn
    from torch.nn.parallel import DistributedDataParallel
except ImportError as error:
    sys.exit(f"torch_bench: PyTorch is not importable from {sys.executable} ({error}); "
             "apt-get install python3-torch and run it with /usr/bin/python3")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", choices=["mlp", "cnn"], default="mlp")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rows", type=int, default=60000, help="first N training rows")
    parser.add_argument("--processes", type=int, choices=[1, 2], default=1)
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads per process")
    parser.add_argument("--blas-threads", type=int, help="OpenBLAS threads per process; default --threads")
    parser.add_argument("--tuned-malloc", action="store_true", help="pad glibc's heap by 256 MiB")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    args.blas_threads = args.blas_threads or args.threads
    if min(args.epochs, args.batch_size, args.threads, args.blas_threads) < 1 \
            or not args.processes <= args.rows <= 60000:
        parser.error("--epochs, --batch-size and the thread counts must be positive, --rows in [processes, 60000]")
    if args.device == "cuda" and (args.processes > 1 or not torch.cuda.is_available()):
        parser.error("--device cuda needs one process and a GPU that PyTorch sees")
    return args


def read_idx(data_dir, name):
    """One IDX file (plain or gzipped) as a uint8 array of its declared shape."""
    for path in (os.path.join(data_dir, name), os.path.join(data_dir, name + ".gz")):
        if os.path.exists(path):
            with (gzip.open if path.endswith(".gz") else open)(path, "rb") as file:
                data = file.read()
            dims = data[3]
            shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
            return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)
    sys.exit(f"torch_bench: {name}[.gz] not found in {data_dir} (apt-get install dataset-fashion-mnist)")


def load(data_dir, split, network, start, stop):
    """Rows [start, stop) of a split as float features in [0, 1] shaped for the network, and labels."""
    images = read_idx(data_dir, f"{split}-images-idx3-ubyte")[start:stop]
    labels = read_idx(data_dir, f"{split}-labels-idx1-ubyte")[start:stop]
    features = torch.from_numpy(images.astype(np.float32) / 255)
    shape = (-1, 784) if network == "mlp" else (-1, 1, 28, 28)
    return features.reshape(shape), torch.from_numpy(labels.astype(np.int64))


def build(network):
    if network == "mlp":
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    else:
        model = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_normal_(layer.weight)
            nn.init.zeros_(layer.bias)
    return model


def configure(args):
    """Sizes ATen's OpenMP pool and OpenBLAS's own pthread pool (it runs the Linear layers' GEMMs in
    Debian's build and ignores torch.set_num_threads); with --tuned-malloc, sets glibc's M_TOP_PAD
    to 256 MiB so that the heap does not shrink and grow back, page faulting, on every step."""
    torch.set_num_threads(args.threads)
    try:
        ctypes.CDLL("libopenblas.so.0").openblas_set_num_threads(args.blas_threads)
    except (OSError, AttributeError):
        pass
    if args.tuned_malloc:
        ctypes.CDLL("libc.so.6").mallopt(-2, 256 << 20)  # M_TOP_PAD


def train(rank, world, args, port):
    configure(args)
    if world > 1:
        store = dist.TCPStore("127.0.0.1", port, world, rank == 0)
        dist.init_process_group("gloo", store=store, rank=rank, world_size=world)
    share = args.rows // world
    device = torch.device(args.device)
    x, y = (t.to(device) for t in load(args.data_dir, "train", args.network, rank * share, (rank + 1) * share))
    torch.manual_seed(args.seed)
    model = build(args.network).to(device)
    net = DistributedDataParallel(model) if world > 1 else model
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    shuffle = torch.Generator().manual_seed(args.seed + rank)

    def sync():
        if world > 1:
            dist.barrier()
        if device.type == "cuda":
            torch.cuda.synchronize()

    rates = []
    net.train()
    sync()
    start = time.perf_counter()
    for _ in range(args.epochs):
        epoch_start = time.perf_counter()
        order = torch.randperm(share, generator=shuffle).to(device)
        for first in range(0, share, args.batch_size):
            batch = order[first:first + args.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(net(x[batch]), y[batch]).backward()
            optimizer.step()
        sync()
        rates.append(share * world / (time.perf_counter() - epoch_start))
    seconds = time.perf_counter() - start

    accuracy = None
    if rank == 0:
        test_x, test_y = (t.to(device) for t in load(args.data_dir, "t10k", args.network, 0, None))
        model.eval()
        with torch.no_grad():
            correct = sum((model(test_x[i:i + 1000]).argmax(1) == test_y[i:i + 1000]).sum().item()
                          for i in range(0, len(test_y), 1000))
        accuracy = correct / len(test_y)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if world > 1:  # through the store: gloo work on Python tensors can deadlock DDP's teardown in 1.13
        store.set(f"rss{rank}", str(rss))
        rss = max(float(store.get(f"rss{other}")) for other in range(world))
        dist.barrier()
        dist.destroy_process_group()
    if rank == 0:
        steady = rates[1:] or rates
        print(json.dumps({
            "run": "pytorch_ddp" if world > 1 else "pytorch_single",
            "network": args.network,
            "processes": world,
            "device": torch.cuda.get_device_name() if device.type == "cuda" else "cpu",
            "threads_per_process": args.threads,
            "blas_threads_per_process": args.blas_threads,
            "tuned_malloc": args.tuned_malloc,
            "rows": share * world,
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "samples_per_second": share * world * args.epochs / seconds,
            "steady_samples_per_second": sum(steady) / len(steady),
            "test_accuracy": accuracy,
            "peak_rss_mb": rss,
            "seconds": seconds,
            "torch_version": torch.__version__,
        }), flush=True)


def main():
    args = parse_args()
    if args.processes == 1:
        train(0, 1, args, None)
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mp.spawn(train, args=(args.processes, args, port), nprocs=args.processes, join=True)


if __name__ == "__main__":
    main()
