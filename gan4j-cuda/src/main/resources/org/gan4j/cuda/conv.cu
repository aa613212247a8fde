// Unfolding for convolution as GEMM (org.gan4j.tensor.ConvGeometry's layout):
// cols [n, c·kh·kw, oh·ow], row (ci·kh + ki)·kw + kj, column oy·ow + ox.

struct Geometry { int n, c, h, w, kh, kw, strideH, strideW, padH, padW, oh, ow; };

extern "C" __global__ void im2col(const float* x, float* cols, Geometry g, int total) {
    GRID_STRIDE(t, total) {
        unsigned int r = t;
        int ox = r % g.ow; r /= g.ow;
        int oy = r % g.oh; r /= g.oh;
        int kj = r % g.kw; r /= g.kw;
        int ki = r % g.kh; r /= g.kh;
        int ci = r % g.c, img = r / g.c;
        int iy = oy * g.strideH - g.padH + ki, ix = ox * g.strideW - g.padW + kj;
        bool inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
        cols[t] = inside ? x[(((long long) img * g.c + ci) * g.h + iy) * g.w + ix] : 0.0f;
    }
}

// One thread per input element gathers every column entry that came from it, in the CPU
// backend's order (ki, then kj), so the sums round the same way.
extern "C" __global__ void col2im(const float* cols, float* x, Geometry g, int total) {
    GRID_STRIDE(t, total) {
        unsigned int r = t;
        int ix = r % g.w; r /= g.w;
        int iy = r % g.h; r /= g.h;
        int ci = r % g.c, img = r / g.c;
        int pixels = g.oh * g.ow;
        float sum = 0.0f;
        for (int ki = 0; ki < g.kh; ki++) {
            int ty = iy + g.padH - ki;
            if (ty < 0 || ty % g.strideH != 0 || ty / g.strideH >= g.oh) continue;
            int oy = ty / g.strideH;
            for (int kj = 0; kj < g.kw; kj++) {
                int tx = ix + g.padW - kj;
                if (tx < 0 || tx % g.strideW != 0 || tx / g.strideW >= g.ow) continue;
                int ox = tx / g.strideW;
                long long row = (long long) img * g.c * g.kh * g.kw + (ci * g.kh + ki) * g.kw + kj;
                sum += cols[row * pixels + oy * g.ow + ox];
            }
        }
        x[t] = sum;
    }
}
