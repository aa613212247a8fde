package org.gan4j.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where a run's files came from: its configuration (with the data's checksum), the gan4j that
 * wrote them, the Java and the operating system it ran on, and when. Written into config.json
 * (with the time) and into every checkpoint's metadata (without it, so that a checkpoint's bytes
 * depend on the training alone: two runs of one seed write identical files).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(RunConfig config, String gan4j, String java, String os, String time) {
    /** gan4j's version: the one constant every file and command reports. */
    public static final String VERSION = "0.1.0";

    public static Provenance of(RunConfig config) {
        return new Provenance(config, VERSION, System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** The same, with no time: what a checkpoint records. */
    public Provenance withoutTime() {
        return new Provenance(config, gan4j, java, os, null);
    }

    /** One line of JSON, as a checkpoint's metadata holds it. */
    public String toJson() {
        try {
            return RunDirectory.JSON_LINE.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("provenance does not serialize", e);
        }
    }
}
