// Gather and scatter-add along the middle axis of [outer, len, inner].

extern "C" __global__ void index_select(const float* x, float* out, int outer, int len, int inner,
                                        const int* index, int k) {
    GRID_STRIDE(t, outer * k * inner) {
        int j = t % inner, r = t / inner, i = r % k, o = r / k;
        out[t] = x[((long long) o * len + index[i]) * inner + j];
    }
}

// One thread per (o, j) walks the index list in order, so repeated indices add up exactly as on
// the CPU, without atomics and in a fixed order.
extern "C" __global__ void index_add(const float* src, float* out, int outer, int len, int inner,
                                     const int* index, int k) {
    GRID_STRIDE(t, outer * inner) {
        int j = t % inner, o = t / inner;
        for (int i = 0; i < k; i++) {
            out[((long long) o * len + index[i]) * inner + j] += src[((long long) o * k + i) * inner + j];
        }
    }
}
