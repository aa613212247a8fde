package org.gan4j.gan;

/**
 * What a user may change about a named architecture without writing code. A null or 0 field
 * means "the architecture's default".
 *
 * @param gHidden    hidden layer widths of an MLP generator
 * @param dHidden    hidden layer widths of an MLP discriminator
 * @param activation hidden activation of the MLP models: relu, leaky_relu, tanh
 * @param width      base width of the DCGANs (ngf = ndf)
 * @param channels   image channels of dcgan64 (3 for RGB, 1 for grayscale)
 * @param latentDim  size of the noise vector z
 * @param countermeasures mode-collapse remedies built into D (null: none)
 */
public record ModelOptions(int[] gHidden, int[] dHidden, String activation, int width, int channels, int latentDim,
                           Countermeasures countermeasures) {

    public ModelOptions(int[] gHidden, int[] dHidden, String activation, int width, int channels, int latentDim) {
        this(gHidden, dHidden, activation, width, channels, latentDim, null);
    }

    public static ModelOptions defaults() {
        return new ModelOptions(null, null, null, 0, 0, 0);
    }

    public ModelOptions withCountermeasures(Countermeasures c) {
        return new ModelOptions(gHidden, dHidden, activation, width, channels, latentDim, c);
    }

    Countermeasures countermeasuresOrNone() {
        return countermeasures != null ? countermeasures : Countermeasures.none();
    }

    public ModelOptions withGHidden(int... sizes) {
        return new ModelOptions(sizes, dHidden, activation, width, channels, latentDim, countermeasures);
    }

    public ModelOptions withDHidden(int... sizes) {
        return new ModelOptions(gHidden, sizes, activation, width, channels, latentDim, countermeasures);
    }

    public ModelOptions withActivation(String name) {
        return new ModelOptions(gHidden, dHidden, name, width, channels, latentDim, countermeasures);
    }

    public ModelOptions withWidth(int w) {
        return new ModelOptions(gHidden, dHidden, activation, w, channels, latentDim, countermeasures);
    }

    public ModelOptions withChannels(int c) {
        return new ModelOptions(gHidden, dHidden, activation, width, c, latentDim, countermeasures);
    }

    public ModelOptions withLatentDim(int z) {
        return new ModelOptions(gHidden, dHidden, activation, width, channels, z, countermeasures);
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

    int channelsOr(int fallback) {
        return channels > 0 ? channels : fallback;
    }

    int latentDimOr(int fallback) {
        return latentDim > 0 ? latentDim : fallback;
    }
}
