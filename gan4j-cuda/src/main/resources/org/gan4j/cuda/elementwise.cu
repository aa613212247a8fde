// Elementwise kernels: the CPU backend's Elementwise, one thread per output element.
// Transcendental functions run in double and round once, as the CPU backend's do.

// Same order as org.gan4j.tensor.UnaryOp (checked by a test).
enum Unary {
    NEG, EXP, LOG, SQRT, ABS, SIGN, TANH, SIGMOID, SOFTPLUS, RELU, LEAKY_RELU, LEAKY_STEP,
    POW_SCALAR, ADD_SCALAR, MUL_SCALAR, RDIV_SCALAR, MAX_SCALAR, MIN_SCALAR, GT_SCALAR, LT_SCALAR, NON_FINITE
};

// Same order as org.gan4j.tensor.BinaryOp (checked by a test).
enum Binary { ADD, SUB, MUL, DIV, POW, MAX, MIN, GT, GE, LT, LE, EQ };

__device__ inline float unary_op(int op, float p, float x) {
    switch (op) {
        case NEG: return -x;
        case EXP: return (float) exp((double) x);
        case LOG: return (float) log((double) x);
        case SQRT: return (float) sqrt((double) x);
        case ABS: return fabsf(x);
        case SIGN: return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : 0.0f;
        case TANH: return (float) tanh((double) x);
        case SIGMOID: {
            // exp only ever of -|x|, so it cannot overflow
            double e = exp(-fabs((double) x));
            return (float) (x >= 0.0f ? 1.0 / (1.0 + e) : e / (1.0 + e));
        }
        case SOFTPLUS: return x > 20.0f ? x : (float) log1p(exp((double) x));
        case RELU: return java_max(x, 0.0f);
        case LEAKY_RELU: return x > 0.0f ? x : p * x;
        case LEAKY_STEP: return x > 0.0f ? 1.0f : p;
        case POW_SCALAR: return (float) pow((double) x, (double) p);
        case ADD_SCALAR: return x + p;
        case MUL_SCALAR: return x * p;
        case RDIV_SCALAR: return p / x;
        case MAX_SCALAR: return java_max(x, p);
        case MIN_SCALAR: return java_min(x, p);
        case GT_SCALAR: return x > p ? 1.0f : 0.0f;
        case LT_SCALAR: return x < p ? 1.0f : 0.0f;
        case NON_FINITE: return x - x == 0.0f ? 0.0f : 1.0f;  // inf - inf and NaN - NaN are NaN
    }
    return __int_as_float(0x7fc00000);
}

__device__ inline float binary_op(int op, float a, float b) {
    switch (op) {
        case ADD: return a + b;
        case SUB: return a - b;
        case MUL: return a * b;
        case DIV: return a / b;
        case POW: return (float) pow((double) a, (double) b);
        case MAX: return java_max(a, b);
        case MIN: return java_min(a, b);
        case GT: return a > b ? 1.0f : 0.0f;
        case GE: return a >= b ? 1.0f : 0.0f;
        case LT: return a < b ? 1.0f : 0.0f;
        case LE: return a <= b ? 1.0f : 0.0f;
        case EQ: return a == b ? 1.0f : 0.0f;
    }
    return __int_as_float(0x7fc00000);
}

extern "C" __global__ void unary(int op, float p, const float* x, float* out, int n) {
    GRID_STRIDE(i, n) out[i] = unary_op(op, p, x[i]);
}

// out is contiguous in the walk's shape and may be a (in-place accumulation): each thread
// reads its own element of a before writing it.
extern "C" __global__ void binary(int op, Walk w, const float* a, const float* b, float* out, int n) {
    GRID_STRIDE(i, n) {
        int off[2];
        walk_offsets(w, i, 2, off);
        out[i] = binary_op(op, a[off[0]], b[off[1]]);
    }
}

extern "C" __global__ void where_select(Walk w, const float* cond, const float* a, const float* b, float* out, int n) {
    GRID_STRIDE(i, n) {
        int off[3];
        walk_offsets(w, i, 3, off);
        out[i] = cond[off[0]] != 0.0f ? a[off[1]] : b[off[2]];
    }
}

extern "C" __global__ void copy_strided(Walk w, const float* src, int srcOffset, float* dst, int dstOffset, int n) {
    GRID_STRIDE(i, n) {
        int off[2];
        walk_offsets(w, i, 2, off);
        dst[dstOffset + off[1]] = src[srcOffset + off[0]];
    }
}
