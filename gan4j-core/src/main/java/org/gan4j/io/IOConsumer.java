package org.gan4j.io;

import java.io.IOException;

/** A consumer that may throw {@link IOException}: the body that fills a file. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T t) throws IOException;
}
