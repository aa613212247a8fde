// Runs random.cu's Philox fill on the host: prints the raw bits of values [0, n) of a fill, one
// hexadecimal word per line. Usage: philox_host NORMAL N SEED STREAM COUNTER (numbers in decimal).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include "common.cuh"
#include "random.cu"

int main(int argc, char** argv) {
    if (argc != 6) return 2;
    int normal = atoi(argv[1]), n = atoi(argv[2]);
    unsigned long long seed = strtoull(argv[3], 0, 10), stream = strtoull(argv[4], 0, 10), counter = strtoull(argv[5], 0, 10);
    for (int b = 0; 4 * b < n; b++) {
        float v[4];
        philox_values(normal, seed, stream, counter + b, v);
        for (int lane = 0; lane < 4 && 4 * b + lane < n; lane++) {
            unsigned int bits;
            memcpy(&bits, &v[lane], 4);
            printf("%08x\n", bits);
        }
    }
    return 0;
}
