package org.gan4j.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The bytes of one data file and where they came from (a path or a class-path resource). */
record Source(String location, byte[] bytes) {

    static Source of(Path file) {
        try {
            return new Source(file.toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static Source resource(String name) {
        try (InputStream in = Source.class.getResourceAsStream(name)) {
            if (in == null) throw new DatasetException("classpath:" + name + ": missing from the class path");
            return new Source("classpath:" + name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's name without its directories, for error messages. */
    String fileName() {
        return location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\')) + 1);
    }

    /** The content, decompressed when it starts with the gzip magic (whatever the file is called). */
    byte[] content() {
        if (bytes.length < 2 || bytes[0] != (byte) 0x1f || bytes[1] != (byte) 0x8b) return bytes;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DatasetException(fileName() + ": broken gzip stream (" + e.getMessage() + ")", e);
        }
    }

    /** One SHA-256 over the sources' bytes in order: the data's identity for run provenance. */
    static String sha256(List<Source> sources) {
        MessageDigest md = digest("SHA-256");
        for (Source s : sources) md.update(s.bytes);
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
