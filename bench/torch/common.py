"""Timing harness for the PyTorch comparisons (mirrors ../harness.c).

Each benchmark script builds its inputs (reading the ADBench files itself,
or the closed-form synthetic inputs of ../problems.c), then calls run() with
the parameters to differentiate and the objective. run() times

  torch_fwd   the objective under torch.no_grad()
  torch_grad  the objective with autograd, then torch.autograd.grad

interleaved, `reps` rounds, each measurement looping until it takes at least
`min_time` seconds; compares the value and gradient with the reference the C
driver wrote (--ref: the C primal's value, then the reference gradient when
the C side has an exact one); and
appends rows in the C driver's format to --out.
"""
import argparse
import math
import os
import resource
import struct
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
torch.set_default_dtype(torch.float64)


def parse_args(description, needs_input=True):
    p = argparse.ArgumentParser(description=description)
    if needs_input:
        p.add_argument("input", help="ADBench input file")
    p.add_argument("--size", default=None, help="size label for the table")
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--min-time", type=float, default=0.05)
    p.add_argument("--max-time", type=float, default=20.0,
                   help="a method whose warm-up takes longer is timed once")
    p.add_argument("--out", default=None, help="append TSV rows here")
    p.add_argument("--ref", default=None, help="reference value and gradient from the C driver")
    args = p.parse_args()
    if args.size is None and needs_input:
        args.size = os.path.splitext(os.path.basename(args.input))[0]
    return args


def read_numbers(path):
    """All whitespace-separated numbers of an ADBench file, as strings."""
    with open(path) as f:
        return f.read().split()


def rss_reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def rss_peak():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def read_reference(path, ntheta):
    if not path or not os.path.exists(path):
        return None, None
    with open(path, "rb") as f:
        data = f.read()
    if len(data) == 8:  # the C side has no exact gradient: the value only
        return struct.unpack("<d", data)[0], None
    if len(data) != 8 * (ntheta + 1):
        print(f"{path}: expected {ntheta + 1} doubles, found {len(data) // 8}", file=sys.stderr)
        return None, None
    values = struct.unpack(f"<{ntheta + 1}d", data)
    return values[0], torch.tensor(values[1:])


class Method:
    def __init__(self, name, fn):
        self.name, self.fn = name, fn
        self.samples, self.inner = [], 1
        self.value, self.grad = float("nan"), None
        self.check = float("nan")
        self.tape = -1
        self.rss = -1
        self.note = ""
        self.once = False  # timed by its warm-up only


def run(bench, size, params, objective, args):
    """params: list of tensors (the differentiated arguments, in argnames
    order); objective(*params) returns a scalar tensor."""
    ntheta = sum(p.numel() for p in params)

    def forward(_):
        with torch.no_grad():
            return objective(*params).item(), None

    leaves = [p.detach().clone().requires_grad_(True) for p in params]
    saved = [0]

    def pack(t):
        saved[0] += t.numel() * t.element_size()
        return t

    def gradient(count_saved):
        if count_saved:
            with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
                loss = objective(*leaves)
        else:
            loss = objective(*leaves)
        grads = torch.autograd.grad(loss, leaves)
        return loss.item(), grads

    methods = [Method("torch_fwd", forward), Method("torch_grad", gradient)]
    print(f"{bench} {size} (torch): {ntheta} parameters, {args.reps} rounds", file=sys.stderr)
    for m in methods:
        have_reset = rss_reset_peak()
        t0 = time.perf_counter()
        m.value, grads = m.fn(False)
        t = time.perf_counter() - t0
        m.rss = rss_peak()
        if not have_reset:
            m.note = "peak RSS is the process's so far"
        print(f"  warm-up {m.name:<12} {1e3 * t:10.3f} ms", file=sys.stderr)
        if grads is not None:
            m.grad = torch.cat([g.reshape(-1) for g in grads]).detach()
        if t > args.max_time:
            # Too slow to repeat: the warm-up is the one measurement.
            m.samples, m.once = [t], True
            m.note = "one round (the warm-up): too slow to repeat"
            continue
        if grads is not None:
            m.fn(True)  # once more, counting the bytes saved for backward
            m.tape = saved[0]
        if t < args.min_time:
            t0 = time.perf_counter()
            m.fn(False)
            t = time.perf_counter() - t0
        m.inner = max(1, math.ceil(args.min_time / max(t, 1e-9)))

    ref_value, ref_grad = read_reference(args.ref, ntheta)
    for m in methods:
        if ref_value is None:
            continue
        m.check = abs(m.value - ref_value) / max(abs(ref_value), 1e-300)
        if m.grad is not None and ref_grad is not None:
            scale = ref_grad.abs().max().item()
            diff = (m.grad - ref_grad).abs().max().item()
            m.check = max(m.check, diff / scale if scale > 0 else diff)
    fwd, grad = methods
    fwd.note = fwd.note or ("value vs C primal" if ref_value is not None else "no C reference")
    if ref_value is not None and ref_grad is None:
        grad.note = "value checked only: no exact C gradient"

    for _ in range(args.reps):
        for m in methods:
            if m.once:
                continue
            t0 = time.perf_counter()
            for _ in range(m.inner):
                m.fn(False)
            m.samples.append((time.perf_counter() - t0) / m.inner)

    for m in methods:
        s = sorted(m.samples)
        n = len(s)
        m.median = s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])
    ratio = f"{grad.median / fwd.median:.2f}x torch_fwd"
    grad.note = f"{ratio}; {grad.note}" if grad.note else \
        f"{ratio}; tape = tensors saved for backward"
    for m in methods:
        print(f"  {m.name:<12} {1e3 * m.median:12.4f} ms  check {m.check:.2e}  "
              f"rss {m.rss / 1048576:7.1f} MB  {m.note}", file=sys.stderr)

    if args.out:
        with open(args.out, "a") as f:
            for m in methods:
                tape = str(m.tape) if m.tape >= 0 else "NA"
                check = "NA" if math.isnan(m.check) else f"{m.check:.3e}"
                f.write(f"{bench}\t{size}\t{ntheta}\t{m.name}\t{m.median:.6e}\t{len(m.samples)}\t"
                        f"{m.inner}\t{m.value:.17g}\t{check}\t{tape}\t{tape}\t{m.rss}\t{m.note}\n")
