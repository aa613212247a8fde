#!/usr/bin/env python3
"""Reads TensorBoard event files with the standard library only, independent of gan4j's Java code.

Checks the TFRecord framing (uint64 length, masked CRC32C of the length, data, masked CRC32C
of the data) and decodes each record's protobuf wire format by hand, interpreting the fields
by TensorBoard's field numbers (Event in event.proto, Summary in summary.proto). Prints one
JSON object per event:

  {"wall_time": ..., "step": ..., "file_version": ..., "writer": ...,
   "scalars": {tag: value}, "images": {tag: {"width", "height", "colorspace", "bytes", "png"}}}

Usage: read_tfevents.py FILE   (exit status 1 and a message on any damaged record)
"""
import json
import struct
import sys


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1   # reflected Castagnoli polynomial
        table.append(c)
    return table


_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked_crc32c(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(blob):
    """The data of each TFRecord in blob, after checking both checksums."""
    pos = 0
    while pos < len(blob):
        if len(blob) - pos < 12:
            raise ValueError("truncated record header at byte %d" % pos)
        header = blob[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", blob[pos + 8:pos + 12])
        if length_crc != masked_crc32c(header):
            raise ValueError("bad length checksum at byte %d" % pos)
        data = blob[pos + 12:pos + 12 + length]
        if len(data) != length or len(blob) < pos + 16 + length:
            raise ValueError("truncated record at byte %d" % pos)
        (data_crc,) = struct.unpack("<I", blob[pos + 12 + length:pos + 16 + length])
        if data_crc != masked_crc32c(data):
            raise ValueError("bad data checksum at byte %d" % pos)
        yield data
        pos += 16 + length


def _varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def fields(buf):
    """(field number, wire type, value) of a protobuf message: ints for varints, bytes otherwise."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("unsupported wire type %d" % wire)
        yield number, wire, value


def _signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def summary_value(buf, event):
    tag, scalar, image = None, None, None
    for number, wire, value in fields(buf):
        if number == 1 and wire == 2:
            tag = value.decode("utf-8")
        elif number == 2 and wire == 5:        # simple_value (float)
            (scalar,) = struct.unpack("<f", value)
        elif number == 4 and wire == 2:        # image
            image = {"width": 0, "height": 0, "colorspace": 0}
            for n, w, v in fields(value):
                if n in (1, 2, 3) and w == 0:
                    image[{1: "height", 2: "width", 3: "colorspace"}[n]] = v
                elif n == 4 and w == 2:
                    image["bytes"] = len(v)
                    image["png"] = v[:8] == b"\x89PNG\r\n\x1a\n"
    if scalar is not None:
        event.setdefault("scalars", {})[tag] = scalar
    if image is not None:
        event.setdefault("images", {})[tag] = image


def event(buf):
    out = {}
    for number, wire, value in fields(buf):
        if number == 1 and wire == 1:
            (out["wall_time"],) = struct.unpack("<d", value)
        elif number == 2 and wire == 0:
            out["step"] = _signed64(value)
        elif number == 3 and wire == 2:
            out["file_version"] = value.decode("utf-8")
        elif number == 5 and wire == 2:        # summary: repeated Value value = 1
            for n, w, v in fields(value):
                if n == 1 and w == 2:
                    summary_value(v, out)
        elif number == 10 and wire == 2:       # source_metadata.writer
            for n, w, v in fields(value):
                if n == 1 and w == 2:
                    out["writer"] = v.decode("utf-8")
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: read_tfevents.py FILE")
    with open(sys.argv[1], "rb") as f:
        blob = f.read()
    try:
        for data in records(blob):
            print(json.dumps(event(data), sort_keys=True))
    except ValueError as e:
        sys.exit("%s: %s" % (sys.argv[1], e))


if __name__ == "__main__":
    main()
