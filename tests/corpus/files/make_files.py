#!/usr/bin/env python3
"""Writes the data files the load(...) tests read (plain Python: no NumPy needed).

Run from this directory; the files are committed, this script documents how they were made."""
import struct
import zipfile


def npy(shape, values, descr="<f8", fortran=False, version=1):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False",
        "()" if not shape else "(%d,)" % shape[0] if len(shape) == 1 else "(%s)" % ", ".join(map(str, shape)))
    prefix = 8 + (2 if version == 1 else 4)
    header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
    out = b"\x93NUMPY" + bytes([version, 0])
    out += struct.pack("<H" if version == 1 else "<I", len(header)) + header.encode("latin1")
    fmt = {"<f8": "<d", ">f8": ">d", "<f4": "<f", "<i8": "<q"}[descr]
    for v in values:
        out += struct.pack(fmt, v)
    return out


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


# X = [1, 2; 3, 4; 5, 6] in every layout NumPy writes
write("X.npy", npy((3, 2), [1, 2, 3, 4, 5, 6]))
write("X_fortran_f4.npy", npy((3, 2), [1, 3, 5, 2, 4, 6], descr="<f4", fortran=True))
write("X_big_endian_v2.npy", npy((3, 2), [1, 2, 3, 4, 5, 6], descr=">f8", version=2))
write("v.npy", npy((3,), [0.5, -1.25, 2]))
write("s.npy", npy((), [7.5]))
# bad ones
write("int.npy", npy((2,), [1, 2], descr="<i8"))
write("cube.npy", npy((1, 1, 2), [1, 2]))
write("short.npy", npy((3, 2), [1, 2, 3]))
write("not_npy.npy", b"x,y\n1,2\n")

with zipfile.ZipFile("data.npz", "w", zipfile.ZIP_STORED) as z:
    z.writestr("X.npy", npy((3, 2), [1, 2, 3, 4, 5, 6]))
    z.writestr("y.npy", npy((3,), [1, 0, 1]))
with zipfile.ZipFile("data_deflated.npz", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("X.npy", npy((3, 2), [1, 2, 3, 4, 5, 6]))
    z.writestr("y.npy", npy((3,), [1, 0, 1]))
with zipfile.ZipFile("one.npz", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("w.npy", npy((2,), [0.25, -0.5]))
write("not_zip.npz", b"PK but not really a zip archive")

write("X.csv", b"1,2\n3,4\n5,6\n")
write("X_header.csv", b"a, b\r\n1, 2\r\n3, 4\r\n\r\n5, 6\r\n")
write("y.csv", b"1\n0\n1\n")
write("ragged.csv", b"1,2\n3,4\n5\n")
write("not_number.csv", b"x1,x2\n1,2\n3,4o\n")
write("empty.csv", b"x1,x2\n")

write("A.mtx", b"%%MatrixMarket matrix coordinate real symmetric\n% the 2x2 matrix [4, 1; 1, 3]\n2 2 3\n"
               b"1 1 4\n2 1 1\n2 2 3\n")
write("B.mtx", b"%%MatrixMarket matrix array real general\n3 2\n1\n3\n5\n2\n4\n6\n")
write("P.mtx", b"%%MatrixMarket matrix coordinate pattern general\n2 3 2\n1 3\n2 1\n")
write("bad_entry.mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 4\n2 x 1\n")
write("outside.mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 4\n")
write("complex.mtx", b"%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n")
