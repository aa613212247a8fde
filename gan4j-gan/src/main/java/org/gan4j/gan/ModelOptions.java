package org.gan4j.gan;

/**
 * What a user may change about a named architecture without writing code. A null or 0 field
 * means "the architecture's default".
 *
 * @param gHidden    hidden layer widths of an MLP generator
 * @param dHidden    hidden layer widths of an MLP discriminator
 * @param activation hidden activation of the MLP models: relu, leaky_relu, tanh
 * @param width      base width of the DCGANs (ngf, and ndf unless dWidth is set)
 * @param dWidth     base width of the DCGANs' discriminator (ndf) when it differs from G's
 * @param channels   image channels of dcgan28 (default 1) and dcgan64 (default 3)
 * @param latentDim  size of the noise vector z
 * @param countermeasures mode-collapse remedies built into D (null: none)
 * @param init       the DCGAN models' initialisation, one of {@link Models#INITS} (null: "dcgan")
 */
public record ModelOptions(int[] gHidden, int[] dHidden, String activation, int width, int dWidth, int channels, int latentDim,
                           Countermeasures countermeasures, String init) {

    public ModelOptions {
        if (init != null && !Models.INITS.contains(init)) {
            throw new IllegalArgumentException("unknown initialisation '" + init + "' (known: " + String.join(", ", Models.INITS) + ")");
        }
    }

    public ModelOptions(int[] gHidden, int[] dHidden, String activation, int width, int channels, int latentDim) {
        this(gHidden, dHidden, activation, width, 0, channels, latentDim, null, null);
    }

    public static ModelOptions defaults() {
        return new ModelOptions(null, null, null, 0, 0, 0);
    }

    public ModelOptions withCountermeasures(Countermeasures c) {
        return new ModelOptions(gHidden, dHidden, activation, width, dWidth, channels, latentDim, c, init);
    }

    Countermeasures countermeasuresOrNone() {
        return countermeasures != null ? countermeasures : Countermeasures.none();
    }

    public ModelOptions withGHidden(int... sizes) {
        return new ModelOptions(sizes, dHidden, activation, width, dWidth, channels, latentDim, countermeasures, init);
    }

    public ModelOptions withDHidden(int... sizes) {
        return new ModelOptions(gHidden, sizes, activation, width, dWidth, channels, latentDim, countermeasures, init);
    }

    public ModelOptions withActivation(String name) {
        return new ModelOptions(gHidden, dHidden, name, width, dWidth, channels, latentDim, countermeasures, init);
    }

    public ModelOptions withWidth(int w) {
        return new ModelOptions(gHidden, dHidden, activation, w, dWidth, channels, latentDim, countermeasures, init);
    }

    public ModelOptions withChannels(int c) {
        return new ModelOptions(gHidden, dHidden, activation, width, dWidth, c, latentDim, countermeasures, init);
    }

    public ModelOptions withLatentDim(int z) {
        return new ModelOptions(gHidden, dHidden, activation, width, dWidth, channels, z, countermeasures, init);
    }

    public ModelOptions withInit(String name) {
        return new ModelOptions(gHidden, dHidden, activation, width, dWidth, channels, latentDim, countermeasures, name);
    }

    /** Whether the DCGAN models put N(0, 0.02) on their Linear layers too, with zero biases. */
    boolean dcganInitOnLinearToo() {
        return init == null || init.equals("dcgan");
    }

    int[] gHiddenOr(int... fallback) {
        return gHidden != null ? gHidden : fallback;
    }

    int[] dHiddenOr(int... fallback) {
        return dHidden != null ? dHidden : fallback;
    }

    String activationOr(String fallback) {
        return activation != null ? activation : fallback;
    }

    int widthOr(int fallback) {
        return width > 0 ? width : fallback;
    }

    /** D's base width: dWidth when set, else G's. */
    int dWidthOr(int gWidth) {
        return dWidth > 0 ? dWidth : gWidth;
    }

    int channelsOr(int fallback) {
        return channels > 0 ? channels : fallback;
    }

    int latentDimOr(int fallback) {
        return latentDim > 0 ? latentDim : fallback;
    }
}
