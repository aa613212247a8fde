// Reductions of the middle axis of x viewed as [outer, len, inner] into out [outer, inner].
// SUM accumulates in double; MAX/MIN propagate NaN; ARGMAX gives the first index of the
// maximum, a NaN counting as the maximum (the CPU backend's Reduce).

// Same order as org.gan4j.tensor.ReduceOp (checked by a test).
enum Reduction { SUM, MAX, MIN, ARGMAX };

// Whether (v, at) should replace (best, bestAt): NaN first, then the extreme value, then the lower index.
__device__ inline bool better(int op, float v, int at, float best, int bestAt) {
    bool vNan = v != v, bestNan = best != best;
    if (vNan || bestNan) return vNan && (!bestNan || at < bestAt);
    if (v == best) return at < bestAt;
    return op == MIN ? v < best : v > best;
}

// One thread per output, walking the axis in order: the CPU backend's exact arithmetic.
extern "C" __global__ void reduce_thread(int op, const float* x, float* out, int outer, int len, int inner) {
    GRID_STRIDE(t, outer * inner) {
        int row = t / inner, col = t % inner;
        const float* run = x + (long long) row * len * inner + col;
        if (op == SUM) {
            double sum = 0.0;
            for (int l = 0; l < len; l++) sum += run[(long long) l * inner];
            out[t] = (float) sum;
        } else {
            float best = run[0];
            int at = 0;
            for (int l = 1; l < len && best == best; l++) {
                float v = run[(long long) l * inner];
                if (op == MIN ? (v < best || v != v) : (v > best || v != v)) { best = v; at = l; }
            }
            out[t] = op == ARGMAX ? (float) at : best;
        }
    }
}

// One block per output for long axes: each thread folds a strided share, then a tree in shared memory.
extern "C" __global__ void reduce_block(int op, const float* x, float* out, int outer, int len, int inner) {
    __shared__ double sums[THREADS];
    __shared__ float values[THREADS];
    __shared__ int indices[THREADS];
    int t = blockIdx.x, row = t / inner, col = t % inner, tid = threadIdx.x;
    const float* run = x + (long long) row * len * inner + col;
    if (op == SUM) {
        double sum = 0.0;
        for (int l = tid; l < len; l += blockDim.x) sum += run[(long long) l * inner];
        sums[tid] = sum;
    } else {
        float best = __int_as_float(0xff800000);  // -inf for MAX, replaced below for MIN
        int at = 0x7fffffff;
        for (int l = tid; l < len; l += blockDim.x) {
            float v = run[(long long) l * inner];
            if (at == 0x7fffffff || better(op, v, l, best, at)) { best = v; at = l; }
        }
        values[tid] = best;
        indices[tid] = at;
    }
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if (tid < half) {
            if (op == SUM) {
                sums[tid] += sums[tid + half];
            } else if (indices[tid + half] != 0x7fffffff
                       && (indices[tid] == 0x7fffffff
                           || better(op, values[tid + half], indices[tid + half], values[tid], indices[tid]))) {
                values[tid] = values[tid + half];
                indices[tid] = indices[tid + half];
            }
        }
        __syncthreads();
    }
    if (tid == 0) out[t] = op == SUM ? (float) sums[0] : op == ARGMAX ? (float) indices[0] : values[0];
}
