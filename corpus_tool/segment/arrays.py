"""NumPy ↔ Arrow for the segment stage, without pyarrow's pandas check.

pyarrow imports pandas (about a third of a second, a sixth of a whole segment run of the policy corpus) the
first time ``pa.array``, ``pa.scalar`` or ``Array.to_numpy`` runs, to recognise pandas objects. The stage only
exchanges plain NumPy arrays without nulls, so it goes through the arrays' buffers instead (``np.from_dlpack``,
``pa.Array.from_buffers``): no pandas, and no copy when reading.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_NUMPY_TYPES = {pa.int32(): np.int32, pa.int64(): np.int64}


def to_numpy(arr: pa.Array) -> np.ndarray:
    """The values of an integer or boolean Arrow array without nulls, as a (read-only) NumPy array."""
    if arr.null_count:
        raise ValueError("to_numpy: the array has nulls")
    if arr.type == pa.bool_():  # Arrow packs booleans into bits: unpacked by a cast to bytes
        return np.from_dlpack(pc.cast(arr, pa.uint8())).view(np.bool_)
    return np.from_dlpack(arr)


def from_numpy(values: np.ndarray, type_: pa.DataType) -> pa.Array:
    """``values`` as an Arrow array of ``type_`` (``int32``, ``int64`` or ``bool_``), without nulls."""
    if type_ == pa.bool_():
        data = np.packbits(np.asarray(values, np.bool_), bitorder="little")
    else:
        data = np.ascontiguousarray(values, _NUMPY_TYPES[type_])
    return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(data)])


def slices(text: str, starts: np.ndarray, lens: np.ndarray) -> pa.Array:
    """The pieces ``text[start:start + len]`` (which tile ``text``) as an Arrow string array, built from
    ``text``'s UTF-8 bytes and the pieces' byte offsets: no Python string per piece goes into Arrow."""
    data = text.encode("utf-8")
    at = np.empty(len(starts) + 1, np.int32)
    at[-1] = len(data)
    if len(data) == len(text):  # ASCII: character offsets are byte offsets
        at[:-1] = starts
    else:  # a character's byte offset: where the n-th byte that is not a continuation byte (0x80-0xBF) is
        # (and the end, for pieces that start there: empty ones)
        at[:-1] = np.append(np.flatnonzero(np.frombuffer(data, np.int8) >= -64), len(data))[starts]
    return pa.StringArray.from_buffers(len(starts), pa.py_buffer(at), pa.py_buffer(data))


def strings(values: list[str]) -> pa.Array:
    """A list of strings (no None) as an Arrow string array."""
    lens = np.fromiter(map(len, values), np.int64, len(values))
    return slices("".join(values), np.cumsum(lens) - lens, lens)
