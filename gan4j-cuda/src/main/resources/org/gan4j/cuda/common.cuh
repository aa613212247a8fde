// Shared by every kernel file (prepended to each before compiling). NVRTC has no system headers,
// so nothing here includes any: only built-in types and CUDA's built-in math functions.

#define THREADS 256
#define MAX_RANK 8
#define MAX_OPERANDS 4

// Up to four operands walking one shape, each through its own strides (elements).
struct Walk {
    int rank;
    int shape[MAX_RANK];
    int stride[MAX_OPERANDS][MAX_RANK];
};

// Offsets of the operands at row-major index i of the walk's shape.
__device__ inline void walk_offsets(const Walk& w, unsigned int i, int operands, int* off) {
    for (int j = 0; j < operands; j++) off[j] = 0;
    for (int d = w.rank - 1; d >= 0; d--) {
        int size = w.shape[d];
        int index = (int) (i % (unsigned int) size);
        i /= (unsigned int) size;
        for (int j = 0; j < operands; j++) off[j] += index * w.stride[j][d];
    }
}

// Java's Math.max/Math.min: NaN wins, and +0 is larger than -0.
__device__ inline float java_max(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return __float_as_int(a) < 0 ? b : a;
    return a > b ? a : b;
}

__device__ inline float java_min(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return __float_as_int(a) < 0 ? a : b;
    return a < b ? a : b;
}

#define GRID_STRIDE(i, n) \
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int) (n); i += gridDim.x * blockDim.x)
