"""The output columns as a frame of the caller's kind: few-valued text dictionary-encoded, numbers not copied."""

from __future__ import annotations

import functools
from typing import Any

import attrs
import numpy as np

from ...scorecard.formatting import has_pyarrow
from .._narwhals import narwhals


@attrs.frozen
class _Coded:
    """A column of a few distinct strings: ``names[code]`` per row, -1 for
    null. It becomes a pandas or polars categorical, a pyarrow dictionary
    array: one byte a row where a million repeated strings would each cost
    a Python reference or tens of bytes."""

    codes: np.ndarray  # int8
    names: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.codes.size)

    def arrow(self) -> Any:
        import pyarrow as pa

        missing = self.codes < 0
        indices = pa.array(self.codes, mask=missing) if missing.any() else pa.array(self.codes)
        return pa.DictionaryArray.from_arrays(indices, pa.array(list(self.names), type=pa.string()))

    def pandas(self) -> Any:
        import pandas as pd

        # The codes are made here, in range: no need for pandas to check them.
        return pd.Categorical.from_codes(self.codes, dtype=_categorical(self.names), validate=False)

    def objects(self) -> np.ndarray:
        column = np.empty(self.codes.size, dtype=object)
        for code, name in enumerate(self.names):
            column[self.codes == code] = name
        return column


@functools.lru_cache(maxsize=256)
def _categorical(names: tuple[str, ...]) -> Any:
    """The pandas dtype of a coded column (made once: pandas checks the
    categories each time one is made)."""
    import pandas as pd

    return pd.CategoricalDtype(pd.Index(list(names), dtype="str"))


def _constant(value: str | None, size: int) -> _Coded:
    """A column of one string, or of nulls. (np.zeros costs nothing until
    read: the pages are the system's zero page.)"""
    if value is None:
        return _Coded(np.full(size, -1, dtype=np.int8), ())
    return _Coded(np.zeros(size, dtype=np.int8), (value,))


def _categories(codes: np.ndarray, names: list[str]) -> _Coded:
    """A column of ``names[code]`` per row (-1: null)."""
    return _Coded(codes.astype(np.int8, copy=False), tuple(names))


def _texts(values: np.ndarray) -> Any:
    """An object array of strings and None as a string column (with pyarrow,
    of type string even when every row is None)."""
    if has_pyarrow():
        import pyarrow as pa

        return pa.array(values, type=pa.string(), from_pandas=True)
    return values


def _no_texts(size: int) -> Any:
    """A string column of nulls (what :func:`_texts` makes of None alone)."""
    if has_pyarrow():
        import pyarrow as pa

        return pa.nulls(size, pa.string())
    return np.empty(size, dtype=object)


def _only(texts: Any, ok: np.ndarray) -> Any:
    """A pyarrow string array with nulls where ``ok`` is False."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if ok.all():
        return texts
    return pc.if_else(pa.array(ok), texts, pa.scalar(None, pa.string()))


def _joined(pieces: list[Any], order: np.ndarray | None) -> Any:
    """The pieces (numpy or pyarrow arrays) end to end, in ``order``
    (None: as they come)."""
    if len(pieces) == 1 and order is None:
        return pieces[0]
    if all(isinstance(piece, _Coded) for piece in pieces):
        return _joined_coded(pieces, order)
    if all(isinstance(piece, np.ndarray) for piece in pieces):
        joined = np.concatenate(pieces)
        return joined if order is None else joined[order]
    import pyarrow as pa

    chunked = pa.chunked_array([_arrow(piece) for piece in pieces])
    return (chunked if order is None else chunked.take(pa.array(order))).combine_chunks()


def _joined_coded(pieces: list[_Coded], order: np.ndarray | None) -> _Coded:
    """Coded columns end to end, their names merged, in ``order``."""
    names = tuple(dict.fromkeys(name for piece in pieces for name in piece.names))
    recoded = []
    for piece in pieces:
        # Code -1 (null) picks the last entry, -1 again.
        mapping = np.array([names.index(name) for name in piece.names] + [-1], dtype=np.int8)
        recoded.append(mapping[piece.codes])
    codes = np.concatenate(recoded)
    return _Coded(codes if order is None else codes[order], names)


def _arrow(values: Any) -> Any:
    """A column as a pyarrow array: numbers zero-copy (NaN as null), a
    narwhals Series through its backend, pyarrow arrays as they are."""
    import pyarrow as pa

    nw = narwhals()
    if isinstance(values, _Coded):
        return values.arrow()
    if isinstance(values, np.ndarray):
        return pa.array(values, from_pandas=True)
    if isinstance(values, nw.Series):
        return values.to_arrow()
    return values


def _body(columns: dict[str, Any], backend: Any) -> Any:
    """The output columns as a narwhals frame of ``backend``. With pyarrow:
    a pandas frame straight from the arrays (numbers without a copy, NaN
    as NA, text as pandas makes it from pyarrow), other kinds through a
    pyarrow table (NaN as null); without it, from Python lists."""
    nw = narwhals()
    if has_pyarrow():
        import pyarrow as pa

        if backend is nw.Implementation.PANDAS:
            return nw.from_native(_pandas_frame(columns), eager_only=True)
        return nw.from_arrow(pa.table({name: _arrow(values) for name, values in columns.items()}), backend=backend)
    plain = {
        name: values.to_list()
        if isinstance(values, nw.Series)
        else values.objects().tolist()
        if isinstance(values, _Coded)
        else values.tolist()
        if isinstance(values, np.ndarray) and values.dtype == object
        else values
        for name, values in columns.items()
    }
    body = nw.from_dict(plain, backend=backend)
    floats = [name for name, dtype in body.schema.items() if dtype.is_float()]
    if floats:
        body = body.with_columns(nw.col(*floats).fill_nan(None))
    # Text columns are text even when every row is None (else an object or
    # null column, whose kind would depend on whether a row has a problem).
    texts = [
        name
        for name, values in columns.items()
        if isinstance(values, _Coded) or (isinstance(values, np.ndarray) and values.dtype == object)
    ]
    if texts:
        body = body.with_columns(nw.col(*texts).cast(nw.String))
    return body


def _pandas_frame(columns: dict[str, Any]) -> Any:
    """A pandas frame of the columns, copying none of the numbers: what
    ``pa.table(...).to_pandas()`` gives, without its copy into one block."""
    import pandas as pd

    nw = narwhals()
    data: dict[str, Any] = {}
    for name, values in columns.items():
        if isinstance(values, np.ndarray) and values.dtype != object:
            data[name] = values
        elif isinstance(values, _Coded):
            data[name] = values.pandas()
        elif isinstance(values, nw.Series):
            # The caller's own column: shared, and copy-on-write (pandas 3)
            # copies it before either frame could change the other.
            native = values.to_native()
            data[name] = native.reset_index(drop=True) if _copy_on_write(pd) else native.to_numpy(copy=True)
        else:
            data[name] = _arrow(values).to_pandas()
    return pd.DataFrame(data, copy=False)


def _copy_on_write(pd: Any) -> bool:
    """Whether pandas protects frames that share memory (always from 3.0)."""
    return int(pd.__version__.split(".")[0]) >= 3 or bool(pd.options.mode.copy_on_write)
