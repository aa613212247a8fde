#!/usr/bin/env python3
"""Writes the golden TensorBoard event file that gan4j's tests read.

No TensorBoard or TensorFlow writer can run on gan4j's build machines: Debian 12 packages
neither tensorboard nor tensorflow, and python3-torch 1.13's torch.utils.tensorboard imports
the tensorboard package. So the file is made with the most independent writer available:
Google's protobuf runtime from Debian (python3-protobuf, its C implementation), with the
message types declared below by TensorBoard's names and field numbers (Event in
event.proto, Summary in summary.proto, SessionLog), and the TFRecord framing with a
bit-by-bit CRC32C written here. Nothing in this script comes from gan4j's Java code.

Besides what gan4j writes, the file holds what TensorBoard's own writers put in a file and
gan4j's schema leaves out: a SessionLog START event, and a plugin-metadata field on a value.

Run: apt-get install python3-protobuf; /usr/bin/python3 gan4j-cli/src/test/python/make_tfevents_golden.py
Writes gan4j-cli/src/test/resources/tensorboard/golden.tfevents and golden.json (the values).
"""
import json
import os
import struct
import zlib

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "tensorboard")


def field(msg, name, number, kind, type_name=None, repeated=False, oneof=None):
    f = msg.field.add(name=name, number=number, type=kind, label=F.LABEL_REPEATED if repeated else F.LABEL_OPTIONAL)
    if type_name:
        f.type_name = type_name
    if oneof is not None:
        f.oneof_index = oneof


def schema():
    """The Event message class, declared with TensorBoard's field numbers."""
    fd = descriptor_pb2.FileDescriptorProto(name="golden_tensorboard.proto", package="tb", syntax="proto3")

    metadata = fd.message_type.add(name="SummaryMetadata")
    plugin_data = metadata.nested_type.add(name="PluginData")
    field(plugin_data, "plugin_name", 1, F.TYPE_STRING)
    field(plugin_data, "content", 2, F.TYPE_BYTES)
    field(metadata, "plugin_data", 1, F.TYPE_MESSAGE, ".tb.SummaryMetadata.PluginData")

    summary = fd.message_type.add(name="Summary")
    image = summary.nested_type.add(name="Image")
    field(image, "height", 1, F.TYPE_INT32)
    field(image, "width", 2, F.TYPE_INT32)
    field(image, "colorspace", 3, F.TYPE_INT32)
    field(image, "encoded_image_string", 4, F.TYPE_BYTES)
    value = summary.nested_type.add(name="Value")
    value.oneof_decl.add(name="value")
    field(value, "tag", 1, F.TYPE_STRING)
    field(value, "simple_value", 2, F.TYPE_FLOAT, oneof=0)
    field(value, "image", 4, F.TYPE_MESSAGE, ".tb.Summary.Image", oneof=0)
    field(value, "metadata", 9, F.TYPE_MESSAGE, ".tb.SummaryMetadata")
    field(summary, "value", 1, F.TYPE_MESSAGE, ".tb.Summary.Value", repeated=True)

    field(fd.message_type.add(name="SessionLog"), "status", 1, F.TYPE_INT32)
    field(fd.message_type.add(name="SourceMetadata"), "writer", 1, F.TYPE_STRING)

    event = fd.message_type.add(name="Event")
    event.oneof_decl.add(name="what")
    field(event, "wall_time", 1, F.TYPE_DOUBLE)
    field(event, "step", 2, F.TYPE_INT64)
    field(event, "file_version", 3, F.TYPE_STRING, oneof=0)
    field(event, "summary", 5, F.TYPE_MESSAGE, ".tb.Summary", oneof=0)
    field(event, "session_log", 7, F.TYPE_MESSAGE, ".tb.SessionLog", oneof=0)
    field(event, "source_metadata", 10, F.TYPE_MESSAGE, ".tb.SourceMetadata")

    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    return message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("tb.Event"))


def crc32c_bitwise(data):
    c = 0xFFFFFFFF
    for b in data:
        c ^= b
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 & -(c & 1))
    return c ^ 0xFFFFFFFF


def masked(data):
    c = crc32c_bitwise(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def record(data):
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked(length)) + data + struct.pack("<I", masked(data))


def png(width, height):
    """A small grayscale gradient as a PNG file."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + bytes((x * 255 // (width - 1) + y * 7) % 256 for x in range(width)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def main():
    Event = schema()
    t0 = 1_700_000_000.25
    events, expected = [], {"file_version": "brain.Event:2", "scalars": [], "images": []}
    events.append(Event(wall_time=t0, file_version="brain.Event:2"))
    events[0].source_metadata.writer = "golden-python-protobuf"
    events.append(Event(wall_time=t0 + 0.5, step=0, session_log={"status": 1}))   # SessionLog.START
    for step in (1, 2, 3, 10, 100, 5_000_000_000):
        e = Event(wall_time=t0 + step / 1000, step=step)
        for tag, v in (("loss_d", 1.5 / step ** 0.25), ("loss_g", -0.75 + step % 7), ("d_fake", 0.5 ** (step % 5))):
            value = e.summary.value.add(tag=tag, simple_value=v)
            if step == 1:
                value.metadata.plugin_data.plugin_name = "scalars"
            expected["scalars"].append({"step": step, "tag": tag, "value": struct.unpack("<f", struct.pack("<f", v))[0]})
        events.append(e)
    picture = png(12, 8)
    e = Event(wall_time=t0 + 1, step=100)
    e.summary.value.add(tag="samples", image={"height": 8, "width": 12, "colorspace": 1, "encoded_image_string": picture})
    events.append(e)
    expected["images"].append({"step": 100, "tag": "samples", "width": 12, "height": 8, "colorspace": 1, "bytes": len(picture)})
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "golden.tfevents"), "wb") as f:
        for e in events:
            f.write(record(e.SerializeToString()))
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
