// Fused optimizer steps with the CPU backend's order of operations (PyTorch's single-tensor
// implementations). Scalars that depend only on hyper-parameters and the step are computed on
// the host, as on the CPU. Compiled with --fmad=false so products and sums round separately.

__device__ inline float torch_lerp(float from, float to, float weight) {
    return fabsf(weight) < 0.5f ? from + weight * (to - from) : to - (to - from) * (1.0f - weight);
}

extern "C" __global__ void adam(float* param, const float* grad, float* m, float* v, int n, float decay,
                                float gradDecay, float w1, float beta2, float w2, float stepSize,
                                float bias2Sqrt, float eps) {
    GRID_STRIDE(i, n) {
        float p = param[i] * decay;
        float g = grad[i] + gradDecay * p;
        float mi = torch_lerp(m[i], g, w1);
        float vi = v[i] * beta2 + w2 * g * g;
        m[i] = mi;
        v[i] = vi;
        float denom = sqrtf(vi) / bias2Sqrt + eps;
        param[i] = p + -stepSize * mi / denom;
    }
}

extern "C" __global__ void sgd(float* param, const float* grad, float* buf, int n, float lr, float momentum,
                               float keep, float weightDecay, int nesterov, int firstStep) {
    GRID_STRIDE(i, n) {
        float g = grad[i] + weightDecay * param[i];
        if (momentum != 0.0f) {
            float b = firstStep ? g : buf[i] * momentum + keep * g;
            buf[i] = b;
            g = nesterov ? g + momentum * b : b;
        }
        param[i] = param[i] + -lr * g;
    }
}

extern "C" __global__ void rmsprop(float* param, const float* grad, float* sq, float* buf, int n, float lr,
                                   float alpha, float w, float eps, float weightDecay, float momentum) {
    GRID_STRIDE(i, n) {
        float g = grad[i] + weightDecay * param[i];
        float s = sq[i] * alpha + w * g * g;
        sq[i] = s;
        float avg = sqrtf(s) + eps;
        if (momentum > 0.0f) {
            float b = buf[i] * momentum + g / avg;
            buf[i] = b;
            param[i] = param[i] + -lr * b;
        } else {
            param[i] = param[i] + -lr * g / avg;
        }
    }
}
