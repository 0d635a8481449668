#!/usr/bin/env python3
"""Read a heatgrid segment with nothing but the Python standard library (numpy optional).

Implements docs/FORMAT.md: validates the header, maps the file read-only, takes the newest
consistent frame with the seqlock protocol of section 4.2, verifies its checksums (section 3.1)
and prints its metadata and statistics.

    python3 heatgrid_reader.py /dev/shm/plate.hgrid [--field T] [--json]

Atomic words: the generation and the buffers' sequence words are read through a memoryview cast
to native unsigned 64-bit integers, so each is one aligned 8-byte load (struct.unpack_from with
"<Q" may assemble the value byte by byte, and a byte-wise read of a word the writer is changing
can be torn).

Ordering note: readers must load the generation and sequence words with acquire semantics and put
an acquire fence before the second sequence load. Python offers no fences; each mmap slice below
is a separate C call that copies memory, and the interpreter's own synchronisation sits between
them. That is enough on x86 (loads are not reordered with loads); a reader in C should use
atomic_load_explicit(..., memory_order_acquire) and atomic_thread_fence(memory_order_acquire).

Waiting: this reader polls with back-off (FORMAT.md section 4.3 allows it); it does not call
FUTEX_WAIT, which needs ctypes and a system-call number.
"""

import argparse
import errno
import fcntl
import json
import math
import mmap
import os
import re
import stat
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
PARAMS_CAPACITY = 2048
# Codes above 3 come from a newer writer: FORMAT.md says to treat them as running.
WRITER_STATES = {0: "none", 1: "running", 2: "paused", 3: "exited"}
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
# Attachment locks (section 6): every attached process holds a shared lock on this byte.
ATTACH_LOCK_BYTE = 0xFF0
ATTACH_RETRIES = 50
# A copy the writer keeps overtaking is given up after this long (section 4.2); polls back off
# from 50 microseconds to 1 millisecond (section 4.3).
MAX_READ_SECONDS = 2.0
MIN_POLL_SECONDS, MAX_POLL_SECONDS = 50e-6, 1e-3


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


def read_layout(path, f):
    """Validates every header rule of section 2.1 against the real file size; returns a dict.

    Reads the header with a plain read from the open file `f`, before anything is mapped."""
    size = os.fstat(f.fileno()).st_size
    h = os.pread(f.fileno(), min(size, HEADER_SIZE), 0)
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
            if not FIELD_NAME.match(name):
                raise SegmentFormatError(path, f"field name[{f}]", f"'{name}' is not [A-Za-z_][A-Za-z0-9_.-]*")
            names.append(name)
        elif name:
            raise SegmentFormatError(path, f"field name[{f}]", "unused names must be empty")
    return {
        "path": path, "format": f"{major}.{minor}", "file_size": size, "nx": nx, "ny": ny, "fields": names, "buffers": nbuffers,
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


class AtomicWords:
    """Single aligned 8-byte loads of the mapping's words (see the module comment)."""

    def __init__(self, m):
        self._view = memoryview(m)
        self._words = self._view.cast("Q")

    def load(self, offset):
        return self._words[offset // 8]

    def release(self):
        self._words.release()
        self._view.release()


def newest_frame(m, layout, words, segment_file, fields=None):
    """Section 4.2: generation (acquire), seq, copy, fence, seq again; then verify checksums.

    Returns None when nothing is published yet. `fields` limits the copy and the checks to those
    field indices (default: all)."""
    cells = layout["nx"] * layout["ny"]
    fields = range(len(layout["fields"])) if fields is None else fields
    started, poll, tries = time.monotonic(), MIN_POLL_SECONDS, 0
    while True:
        if os.fstat(segment_file.fileno()).st_size < layout["file_size"]:
            # Touching the mapping beyond the new end of the file would kill this process (SIGBUS).
            raise RuntimeError("segment truncated or removed")
        g = words.load(H_GENERATION)
        if g == 0:
            return None
        base = layout["offsets"][g % layout["buffers"]]
        s1 = words.load(base + F_SEQ)
        if s1 == 2 * g:
            header = bytes(m[base:base + layout["frame_header_size"]])
            data = {}
            for field in fields:
                start = base + layout["frame_header_size"] + field * layout["field_stride"]
                data[field] = bytes(m[start:start + cells * 8])
            if words.load(base + F_SEQ) == s1:
                return checked_frame(layout, g, header, data, cells)
        # The writer overtook this copy: start again right after the next publish (section 4.2).
        tries += 1
        if time.monotonic() - started > MAX_READ_SECONDS:
            raise RuntimeError(f"could not take a consistent copy within {MAX_READ_SECONDS} s ({tries} tries):"
                               " the writer reuses each buffer before this reader finishes copying it")
        while words.load(H_GENERATION) == g and time.monotonic() - started <= MAX_READ_SECONDS:
            time.sleep(poll)
            poll = min(poll * 2, MAX_POLL_SECONDS)


def checked_frame(layout, g, header, data, cells):
    """Step 6 of section 4.2, on the private copy: a mismatch now is corruption, not a race."""
    if u64(header, F_GENERATION) != g:
        raise RuntimeError(f"corrupt frame: its header says generation {u64(header, F_GENERATION)}, not {g}")
    length = u32(header, F_PARAMS_LENGTH)
    if length >= PARAMS_CAPACITY or any(header[F_PARAMS + length:F_PARAMS + PARAMS_CAPACITY]):
        raise RuntimeError(f"corrupt frame {g}: parameters length {length}, or bytes after it are not zero")
    stats = []
    for f, cells_bytes in data.items():
        name = layout["fields"][f]
        at = F_STATS + f * STATS_SIZE
        expected = u64(header, at + 32)
        actual = checksum(cells_bytes, cells)
        if expected != actual:
            raise RuntimeError(f"corrupt frame {g}, field '{name}': checksum {expected:016x} in the header,"
                               f" {actual:016x} in the data")
        stats.append({"field": name, "min": f64(header, at), "max": f64(header, at + 8),
                      "mean": f64(header, at + 16), "total": f64(header, at + 24), "checksum": f"{expected:016x}"})
    return {
        "generation": g, "step": u64(header, F_STEP), "time": f64(header, F_TIME),
        "publish_ns": i64(header, F_PUBLISH_NANOS), "stats": stats,
        "params": header[F_PARAMS:F_PARAMS + length].decode("utf-8", "replace"), "data": data,
    }


def attach(path):
    """Section 6: open read-only without following a link or blocking (a FIFO at the name), check the
    open file is a regular file, hold a shared lock on byte 0xFF0 while attached, and make sure the
    name still leads to the file opened (a leaving process may have just removed it)."""
    for _ in range(ATTACH_RETRIES):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise OSError(f"{path} is a symbolic link; segments are never opened through a link") from e
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(f"{path} is not a regular file (a FIFO, socket or device)")
        f = os.fdopen(fd, "rb")
        try:
            fcntl.lockf(f, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, ATTACH_LOCK_BYTE, os.SEEK_SET)
        except OSError:
            f.close()  # the last user is removing the file right now: open again
            time.sleep(MIN_POLL_SECONDS)
            continue
        opened, named = os.fstat(f.fileno()), os.lstat(path)
        if (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino):
            return f
        f.close()
    raise OSError(f"{path}: the segment kept being removed or replaced while attaching")


def finite_or_text(value):
    """JSON has no NaN or infinity (a diverged run has them in its statistics): write them as text."""
    return value if math.isfinite(value) else str(value)


def main():
    parser = argparse.ArgumentParser(description="Print the newest consistent frame of a heatgrid segment.")
    parser.add_argument("segment", help="segment path, or a bare name meaning /dev/shm/NAME.hgrid")
    parser.add_argument("--field", action="append", metavar="NAME", help="only this field (repeatable; default: all)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    path = args.segment if "/" in args.segment else f"/dev/shm/{args.segment}.hgrid"
    try:
        with attach(path) as f:
            layout = read_layout(path, f)
            fields = None
            if args.field:
                unknown = [name for name in args.field if name not in layout["fields"]]
                if unknown:
                    print(f"heatgrid_reader: {path}: no field {', '.join(unknown)}; this segment has"
                          f" {', '.join(layout['fields'])}", file=sys.stderr)
                    return 2
                fields = [layout["fields"].index(name) for name in args.field]
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
                words = AtomicWords(m)
                try:
                    frame = newest_frame(m, layout, words, f, fields)
                    state = u32(m, H_WRITER_STATE)
                    writer = {"pid": u64(m, H_WRITER_PID), "state": WRITER_STATES.get(state, "running")}
                finally:
                    words.release()
    except (OSError, SegmentFormatError, RuntimeError) as e:
        print(f"heatgrid_reader: {e if isinstance(e, (OSError, SegmentFormatError)) else f'{path}: {e}'}",
              file=sys.stderr)
        return 1
    summary = {key: layout[key] for key in ("path", "format", "nx", "ny", "fields", "buffers", "dx", "dy", "dt",
                                            "kernel", "boundary", "keep")}
    summary["writer"] = writer
    if frame is None:
        summary["generation"] = 0
    else:
        summary.update({k: frame[k] for k in ("generation", "step", "time", "stats", "params")})
        summary["age_ms"] = round((time.clock_gettime_ns(time.CLOCK_MONOTONIC) - frame["publish_ns"]) / 1e6, 3)
        summary["checksums"] = "verified"
        summary["checksum_code"] = "numpy" if numpy is not None else "python"
    if args.json:
        for s in summary.get("stats", []):
            for key in ("min", "max", "mean", "total"):
                s[key] = finite_or_text(s[key])
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
