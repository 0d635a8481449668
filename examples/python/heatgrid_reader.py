#!/usr/bin/env python3
"""Read a heatgrid segment with nothing but the Python standard library (numpy optional).

Implements docs/FORMAT.md: validates the header, maps the file read-only, takes the newest
consistent frame with the seqlock protocol of section 4.2, verifies its checksums (section 3.1)
and prints its metadata and statistics.

    python3 heatgrid_reader.py /dev/shm/plate.hgrid [--field T] [--json]

Ordering note: readers must load the generation and sequence words with acquire semantics and put
an acquire fence before the second sequence load. Python offers no fences; each mmap slice below
is a separate C call that copies memory, and the interpreter's own synchronisation sits between
them. That is enough on x86 (loads are not reordered with loads); a reader in C should use
atomic_load_explicit(..., memory_order_acquire) and atomic_thread_fence(memory_order_acquire).
"""

import argparse
import json
import mmap
import os
import struct
import sys
import time

try:
    import numpy
except ImportError:  # the checksum then takes a pure-Python loop
    numpy = None

MAGIC = 0x4449524754414548  # "HEATGRID"
MAJOR_VERSION = 1
PAGE = 4096
HEADER_SIZE = 8192
MAX_DIMENSION = 1 << 20
MAX_FIELDS = 16
MAX_BUFFERS = 16
MIX = 0x9E3779B97F4A7C15
MASK = (1 << 64) - 1

# Header offsets (FORMAT.md section 2)
H_MAGIC, H_MAJOR, H_MINOR, H_HEADER_SIZE = 0x000, 0x008, 0x00A, 0x00C
H_FILE_SIZE, H_FLAGS, H_FRAME_HEADER_SIZE = 0x010, 0x018, 0x01C
H_NX, H_NY, H_FIELD_COUNT, H_BUFFER_COUNT = 0x020, 0x024, 0x028, 0x02C
H_FIELD_STRIDE, H_BUFFER_SIZE = 0x030, 0x038
H_DX, H_DY, H_DT, H_CREATED = 0x040, 0x048, 0x050, 0x058
H_TILE = 0x068  # origin x, origin y, global nx, global ny: 4 x u32
H_KERNEL, H_BOUNDARY, H_FIELD_NAMES, H_BUFFER_OFFSETS = 0x080, 0x0C0, 0x140, 0x240
H_GENERATION = 0x300
H_WRITER_PID, H_WRITER_STATE = 0x380, 0x398
H_PARAMS = 0x1000
# Frame header offsets (section 3)
F_SEQ, F_GENERATION, F_STEP, F_TIME, F_PUBLISH_NANOS = 0x000, 0x040, 0x048, 0x050, 0x058
F_PARAMS_LENGTH, F_STATS, F_PARAMS = 0x060, 0x080, 0x800
STATS_SIZE = 64
WRITER_STATES = {0: "none", 1: "running", 2: "paused", 3: "exited"}


class SegmentFormatError(Exception):
    """The file is not a segment this reader understands; the message names the field."""

    def __init__(self, path, field, problem):
        super().__init__(f"{path}: {field}: {problem}")


def u16(b, o): return struct.unpack_from("<H", b, o)[0]
def u32(b, o): return struct.unpack_from("<I", b, o)[0]
def u64(b, o): return struct.unpack_from("<Q", b, o)[0]
def i64(b, o): return struct.unpack_from("<q", b, o)[0]
def f64(b, o): return struct.unpack_from("<d", b, o)[0]


def text(b, offset, capacity, path, field):
    """A NUL-padded UTF-8 slot: at least one NUL, zero padding after it."""
    raw = bytes(b[offset:offset + capacity])
    end = raw.find(b"\0")
    if end < 0:
        raise SegmentFormatError(path, field, f"no terminating NUL within its {capacity} bytes")
    if any(raw[end:]):
        raise SegmentFormatError(path, field, "non-zero byte after the terminating NUL")
    try:
        return raw[:end].decode("utf-8")
    except UnicodeDecodeError:
        raise SegmentFormatError(path, field, "is not valid UTF-8") from None


def check_range(path, field, value, low, high):
    if not low <= value <= high:
        raise SegmentFormatError(path, field, f"{value}; allowed {low}..{high}")
    return value


def read_layout(path):
    """Validates every header rule of section 2.1 against the real file size; returns a dict."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        h = f.read(min(size, HEADER_SIZE))
    if size < 8 or len(h) < 8:
        raise SegmentFormatError(path, "file size", f"the file is {size} bytes, too short to be a heatgrid segment")
    if u64(h, H_MAGIC) != MAGIC:
        raise SegmentFormatError(path, "magic", "not a heatgrid segment")
    if len(h) < HEADER_SIZE:
        raise SegmentFormatError(path, "file size", f"the file is {size} bytes, shorter than the {HEADER_SIZE}-byte header")
    major, minor = u16(h, H_MAJOR), u16(h, H_MINOR)
    if major != MAJOR_VERSION:
        raise SegmentFormatError(path, "major version",
                                 f"format version {major}.{minor} is not supported: this reader reads {MAJOR_VERSION}.x")
    header_size = u32(h, H_HEADER_SIZE)
    if header_size < HEADER_SIZE or header_size > 1 << 20 or header_size % PAGE:
        raise SegmentFormatError(path, "header size", f"{header_size} bytes")
    if u64(h, H_FILE_SIZE) != size:
        raise SegmentFormatError(path, "file size", f"the header says {u64(h, H_FILE_SIZE)} bytes but the file holds {size}")
    frame_header_size = u32(h, H_FRAME_HEADER_SIZE)
    if frame_header_size < PAGE or frame_header_size > 1 << 20 or frame_header_size % PAGE:
        raise SegmentFormatError(path, "frame header size", f"{frame_header_size} bytes")
    nx = check_range(path, "nx", u32(h, H_NX), 1, MAX_DIMENSION)
    ny = check_range(path, "ny", u32(h, H_NY), 1, MAX_DIMENSION)
    nfields = check_range(path, "field count", u32(h, H_FIELD_COUNT), 1, MAX_FIELDS)
    nbuffers = check_range(path, "buffer count", u32(h, H_BUFFER_COUNT), 2, MAX_BUFFERS)
    field_stride = u64(h, H_FIELD_STRIDE)
    if field_stride < nx * ny * 8 or field_stride > size or field_stride % 8:
        raise SegmentFormatError(path, "field stride", f"{field_stride} bytes")
    buffer_size = u64(h, H_BUFFER_SIZE)
    if buffer_size < frame_header_size + nfields * field_stride or buffer_size > size or buffer_size % PAGE:
        raise SegmentFormatError(path, "buffer size", f"{buffer_size} bytes")
    offsets, next_free = [], header_size
    for k in range(MAX_BUFFERS):
        offset = u64(h, H_BUFFER_OFFSETS + 8 * k)
        if k >= nbuffers:
            if offset:
                raise SegmentFormatError(path, f"buffer offset[{k}]", "unused entries must be 0")
            continue
        if offset % PAGE or offset < next_free or offset + buffer_size > size:
            raise SegmentFormatError(path, f"buffer offset[{k}]", f"{offset}")
        offsets.append(offset)
        next_free = offset + buffer_size
    dx, dy, dt = f64(h, H_DX), f64(h, H_DY), f64(h, H_DT)
    for name, value in (("dx", dx), ("dy", dy)):
        if not (value > 0 and value != float("inf")):
            raise SegmentFormatError(path, name, f"{value}; it must be finite and > 0")
    if not (dt >= 0 and dt != float("inf")):
        raise SegmentFormatError(path, "dt", f"{dt}; it must be finite and >= 0")
    ox, oy, gnx, gny = struct.unpack_from("<4I", h, H_TILE)
    if ox + nx > gnx or oy + ny > gny:
        raise SegmentFormatError(path, "tile", f"a {nx}x{ny} tile at ({ox}, {oy}) does not fit in {gnx}x{gny}")
    names = []
    for f in range(MAX_FIELDS):
        name = text(h, H_FIELD_NAMES + 16 * f, 16, path, f"field name[{f}]")
        if f < nfields:
            if not name or name in names:
                raise SegmentFormatError(path, f"field name[{f}]", "is empty" if not name else f"'{name}' appears twice")
            names.append(name)
        elif name:
            raise SegmentFormatError(path, f"field name[{f}]", "unused names must be empty")
    return {
        "path": path, "format": f"{major}.{minor}", "nx": nx, "ny": ny, "fields": names, "buffers": nbuffers,
        "offsets": offsets, "frame_header_size": frame_header_size, "field_stride": field_stride,
        "dx": dx, "dy": dy, "dt": dt, "tile": (ox, oy, gnx, gny), "keep": bool(u32(h, H_FLAGS) & 1),
        "kernel": text(h, H_KERNEL, 64, path, "kernel name"),
        "boundary": text(h, H_BOUNDARY, 128, path, "boundary"),
        "created_ns": i64(h, H_CREATED),
        "params_at_creation": text(h, H_PARAMS, 2048, path, "parameters"),
    }


def checksum(data, cells):
    """Section 3.1: sum over i of (w[i] XOR i*MIX), modulo 2^64."""
    if numpy is not None:
        words = numpy.frombuffer(data, dtype="<u8", count=cells)
        mixes = numpy.arange(cells, dtype=numpy.uint64) * numpy.uint64(MIX)  # wraps modulo 2^64
        return int(numpy.bitwise_xor(words, mixes).sum(dtype=numpy.uint64))
    total = 0
    for i, (w,) in enumerate(struct.iter_unpack("<Q", data)):
        total += w ^ ((i * MIX) & MASK)
    return total & MASK


def newest_frame(m, layout, attempts=100000):
    """Section 4.2: generation (acquire), seq, copy, fence, seq again; then verify checksums."""
    cells = layout["nx"] * layout["ny"]
    for _ in range(attempts):
        g = u64(m, H_GENERATION)
        if g == 0:
            return None
        base = layout["offsets"][g % layout["buffers"]]
        s1 = u64(m, base + F_SEQ)
        if s1 != 2 * g:
            continue  # the writer is already rewriting that buffer: look again
        header = bytes(m[base:base + layout["frame_header_size"]])
        data = []
        for f in range(len(layout["fields"])):
            start = base + layout["frame_header_size"] + f * layout["field_stride"]
            data.append(bytes(m[start:start + cells * 8]))
        if u64(m, base + F_SEQ) != s1:
            continue  # torn: the writer touched the buffer while we copied
        if u64(header, F_GENERATION) != g:
            raise RuntimeError(f"corrupt frame: its header says generation {u64(header, F_GENERATION)}, not {g}")
        stats = []
        for f, name in enumerate(layout["fields"]):
            at = F_STATS + f * STATS_SIZE
            expected = u64(header, at + 32)
            actual = checksum(data[f], cells)
            if expected != actual:
                raise RuntimeError(f"corrupt frame {g}, field '{name}': checksum {expected:016x} in the header,"
                                   f" {actual:016x} in the data")
            stats.append({"field": name, "min": f64(header, at), "max": f64(header, at + 8),
                          "mean": f64(header, at + 16), "total": f64(header, at + 24), "checksum": f"{expected:016x}"})
        length = min(u32(header, F_PARAMS_LENGTH), 2047)
        return {
            "generation": g, "step": u64(header, F_STEP), "time": f64(header, F_TIME),
            "publish_ns": i64(header, F_PUBLISH_NANOS), "stats": stats,
            "params": header[F_PARAMS:F_PARAMS + length].decode("utf-8", "replace"), "data": data,
        }
    raise RuntimeError("could not take a consistent copy: the writer kept overtaking this reader")


def main():
    parser = argparse.ArgumentParser(description="Print the newest consistent frame of a heatgrid segment.")
    parser.add_argument("segment", help="segment path, or a bare name meaning /dev/shm/NAME.hgrid")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    path = args.segment if "/" in args.segment else f"/dev/shm/{args.segment}.hgrid"
    try:
        layout = read_layout(path)
    except (OSError, SegmentFormatError) as e:
        print(f"heatgrid_reader: {e}", file=sys.stderr)
        return 1
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        try:
            frame = newest_frame(m, layout)
        except RuntimeError as e:
            print(f"heatgrid_reader: {path}: {e}", file=sys.stderr)
            return 1
        writer = {"pid": u64(m, H_WRITER_PID), "state": WRITER_STATES.get(u32(m, H_WRITER_STATE), "unknown")}
    summary = {key: layout[key] for key in ("path", "format", "nx", "ny", "fields", "buffers", "dx", "dy", "dt",
                                            "kernel", "boundary", "keep")}
    summary["writer"] = writer
    if frame is None:
        summary["generation"] = 0
    else:
        summary.update({k: frame[k] for k in ("generation", "step", "time", "stats", "params")})
        summary["age_ms"] = round((time.clock_gettime_ns(time.CLOCK_MONOTONIC) - frame["publish_ns"]) / 1e6, 3)
        summary["checksums"] = "verified"
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"segment    {path} (format {summary['format']}), {layout['nx']} x {layout['ny']},"
          f" fields {', '.join(layout['fields'])}, {layout['buffers']} buffers")
    print(f"kernel     {layout['kernel'] or '-'}, dx {layout['dx']}, dy {layout['dy']}, dt {layout['dt']},"
          f" boundary {layout['boundary'] or '-'}")
    print(f"writer     pid {writer['pid']}, {writer['state']}")
    if frame is None:
        print("generation 0 (nothing published yet)")
        return 0
    print(f"generation {frame['generation']} (step {frame['step']}, time {frame['time']:.6g},"
          f" published {summary['age_ms']:.1f} ms ago), checksums verified")
    for s in frame["stats"]:
        print(f"stats {s['field']:<5} min {s['min']:.6g}  max {s['max']:.6g}  mean {s['mean']:.6g}"
              f"  total {s['total']:.6g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
