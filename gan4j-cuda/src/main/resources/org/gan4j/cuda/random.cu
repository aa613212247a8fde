// Philox-4x32-10, exactly as org.gan4j.tensor.Philox defines a fill, so a seed gives the same
// numbers on every device. The functions are __host__ __device__ so that a host build of this
// file can be checked against the Java generator on a machine without a GPU.

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u
#define PHILOX_PI 3.141592653589793

__host__ __device__ inline void philox_block(unsigned int c[4], unsigned int k0, unsigned int k1) {
    for (int round = 0; round < 10; round++) {
        if (round > 0) {
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        unsigned long long p0 = (unsigned long long) PHILOX_M0 * c[0];
        unsigned long long p1 = (unsigned long long) PHILOX_M1 * c[2];
        unsigned int n0 = (unsigned int) (p1 >> 32) ^ c[1] ^ k0;
        unsigned int n2 = (unsigned int) (p0 >> 32) ^ c[3] ^ k1;
        c[1] = (unsigned int) p1;
        c[3] = (unsigned int) p0;
        c[0] = n0;
        c[2] = n2;
    }
}

// ((bits >> 9) + 0.5) · 2^-23: exact in float, in the open interval (0, 1).
__host__ __device__ inline float philox_uniform(unsigned int bits) {
    return ((float) (bits >> 9) + 0.5f) * 1.1920928955078125e-7f;
}

// The four values of block number `block` of a fill (elements 4·block .. 4·block + 3).
__host__ __device__ inline void philox_values(int normal, unsigned long long seed, unsigned long long stream,
                                              unsigned long long block, float v[4]) {
    unsigned int c[4] = {(unsigned int) block, (unsigned int) (block >> 32),
                         (unsigned int) stream, (unsigned int) (stream >> 32)};
    philox_block(c, (unsigned int) seed, (unsigned int) (seed >> 32));
    if (!normal) {
        for (int lane = 0; lane < 4; lane++) v[lane] = philox_uniform(c[lane]);
        return;
    }
    for (int pair = 0; pair < 4; pair += 2) {
        double radius = sqrt(-2.0 * log((double) philox_uniform(c[pair])));
        double angle = 2.0 * PHILOX_PI * (double) philox_uniform(c[pair + 1]);
        v[pair] = (float) (radius * cos(angle));
        v[pair + 1] = (float) (radius * sin(angle));
    }
}

// One thread per block of four values.
extern "C" __global__ void philox_fill(int normal, float* out, int n, unsigned long long seed,
                                       unsigned long long stream, unsigned long long counter) {
    GRID_STRIDE(b, (n + 3) / 4) {
        float v[4];
        philox_values(normal, seed, stream, counter + b, v);
        for (int lane = 0; lane < 4; lane++) {
            unsigned int i = 4 * b + lane;
            if (i < (unsigned int) n) out[i] = v[lane];
        }
    }
}
