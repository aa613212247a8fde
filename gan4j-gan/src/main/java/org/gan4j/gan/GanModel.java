package org.gan4j.gan;

/** A named generator/discriminator pair. */
public record GanModel(String name, Generator generator, Discriminator discriminator) {

    public boolean conditional() {
        return generator.classes() > 0;
    }
}
