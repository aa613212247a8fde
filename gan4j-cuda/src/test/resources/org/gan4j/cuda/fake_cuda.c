/* A stand-in for libcuda, libcublas and libnvrtc, so the FFM bindings can be exercised on a
 * machine without a GPU. "Device" memory is host memory; the SGEMM is a plain column-major
 * reference; kernel launches and compiles are only recorded. Built by FakeCudaTest with gcc:
 * -DFAIL_INIT makes cuInit report CUDA_ERROR_NO_DEVICE, -DNO_LAUNCH leaves out cuLaunchKernel. */
#include <stdlib.h>
#include <string.h>

typedef unsigned long long devptr;

static int launches, compiles, graph_launches, context_sets, copies_to_device, math_mode = -1;
static unsigned last_blocks, last_threads;
static char last_kernel[64], last_options[512];
static long long param_values[16];

int fake_launches(void) { return launches; }
int fake_compiles(void) { return compiles; }
int fake_graph_launches(void) { return graph_launches; }
int fake_context_sets(void) { return context_sets; }
int fake_copies_to_device(void) { return copies_to_device; }
int fake_math_mode(void) { return math_mode; }
unsigned fake_last_blocks(void) { return last_blocks; }
unsigned fake_last_threads(void) { return last_threads; }
const char *fake_last_kernel(void) { return last_kernel; }
const char *fake_last_options(void) { return last_options; }
int fake_param_word(int i) { return (int) param_values[i]; }
long long fake_param_long(int i) { return param_values[i]; }

/* ---- driver ---- */
int cuGetErrorName(int e, const char **s) { if (e != 100) return 1; *s = "CUDA_ERROR_NO_DEVICE"; return 0; }
int cuGetErrorString(int e, const char **s) { if (e != 100) return 1; *s = "no CUDA-capable device is detected"; return 0; }
int cuInit(unsigned flags) {
#ifdef FAIL_INIT
    return 100;
#else
    return 0;
#endif
}
int cuDriverGetVersion(int *v) { *v = 13000; return 0; }
int cuDeviceGetCount(int *c) { *c = 1; return 0; }
int cuDeviceGet(int *d, int ordinal) { *d = ordinal; return 0; }
int cuDeviceGetName(char *name, int len, int d) { strncpy(name, "Fake GPU", len); return 0; }
int cuDeviceGetAttribute(int *v, int attribute, int d) { *v = attribute == 75 ? 9 : 0; return 0; }
int cuDevicePrimaryCtxRetain(void **ctx, int d) { *ctx = (void *) 0x10; return 0; }
int cuCtxSetCurrent(void *ctx) { context_sets++; return ctx == (void *) 0x10 ? 0 : 1; }
int cuStreamCreate(void **s, unsigned flags) { *s = (void *) 0x20; return 0; }
int cuStreamSynchronize(void *s) { return s == (void *) 0x20 ? 0 : 1; }
int cuMemAlloc_v2(devptr *p, size_t bytes) { void *m = malloc(bytes); if (!m) return 2; *p = (devptr) m; return 0; }
int cuMemFree_v2(devptr p) { free((void *) p); return 0; }
int cuMemcpyHtoDAsync_v2(devptr d, const void *s, size_t n, void *st) { copies_to_device++; memcpy((void *) d, s, n); return 0; }
int cuMemcpyDtoHAsync_v2(void *d, devptr s, size_t n, void *st) { memcpy(d, (void *) s, n); return 0; }
int cuMemcpyDtoDAsync_v2(devptr d, devptr s, size_t n, void *st) { memmove((void *) d, (void *) s, n); return 0; }
int cuMemsetD32Async(devptr d, unsigned v, size_t n, void *st) {
    unsigned *p = (unsigned *) d;
    for (size_t i = 0; i < n; i++) p[i] = v;
    return 0;
}
int cuModuleLoadData(void **m, const void *image) { *m = (void *) 0x30; return 0; }
int cuModuleGetFunction(void **f, void *m, const char *name) { *f = strdup(name); return 0; }
#ifndef NO_LAUNCH
int cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   unsigned shared, void *stream, void **params, void **extra) {
    launches++;
    strncpy(last_kernel, (const char *) f, sizeof last_kernel - 1);
    last_blocks = gx;
    last_threads = bx;
    /* the first 8 bytes of each argument (and of leftovers from longer earlier launches: the
     * caller's buffer only ever points into itself, so any non-null pointer can be read) */
    for (int i = 0; i < 16 && params[i]; i++) memcpy(&param_values[i], params[i], sizeof(long long));
    return 0;
}
#endif
int cuStreamBeginCapture_v2(void *s, int mode) { return 0; }
int cuStreamEndCapture(void *s, void **g) { *g = (void *) 0x40; return 0; }
int cuGraphInstantiateWithFlags(void **e, void *g, unsigned long long flags) { *e = (void *) 0x50; return 0; }
int cuGraphLaunch(void *e, void *s) { graph_launches++; return 0; }
int cuGraphExecDestroy(void *e) { return 0; }
int cuGraphDestroy(void *g) { return 0; }

/* ---- cuBLAS ---- */
int cublasCreate_v2(void **h) { *h = (void *) 0x60; return 0; }
int cublasSetStream_v2(void *h, void *s) { return 0; }
int cublasSetMathMode(void *h, int mode) { math_mode = mode; return 0; }
int cublasSetWorkspace_v2(void *h, void *w, size_t bytes) { return 0; }
const char *cublasGetStatusString(int s) { return "CUBLAS_STATUS_INVALID_VALUE"; }
int cublasSgemmStridedBatched(void *h, int ta, int tb, int m, int n, int k, const float *alpha,
                              const float *A, int lda, long long sA, const float *B, int ldb, long long sB,
                              const float *beta, float *C, int ldc, long long sC, int batch) {
    if (batch > 1 && sC == 0) return 7; /* no defined result when the products share one C */
    for (int b = 0; b < batch; b++) {
        const float *a = A + b * sA, *bm = B + b * sB;
        float *c = C + b * sC;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) (ta ? a[p + i * lda] : a[i + p * lda]) * (tb ? bm[j + p * ldb] : bm[p + j * ldb]);
                float *out = &c[i + j * ldc];
                *out = (float) (*alpha * s + (*beta == 0 ? 0 : *beta * *out));
            }
        }
    }
    return 0;
}

/* ---- NVRTC ---- */
static const char *FAKE_PTX = "// fake PTX\n";
int nvrtcVersion(int *major, int *minor) { *major = 13; *minor = 0; return 0; }
int nvrtcCreateProgram(void **p, const char *src, const char *name, int nh, const char **h, const char **inc) { *p = strdup(src); return 0; }
int nvrtcCompileProgram(void *p, int n, const char **options) {
    compiles++;
    last_options[0] = 0;
    for (int i = 0; i < n; i++) {
        strncat(last_options, options[i], sizeof last_options - strlen(last_options) - 2);
        strcat(last_options, " ");
    }
    return strstr((const char *) p, "extern \"C\" __global__") ? 0 : 6;
}
int nvrtcGetPTXSize(void *p, size_t *s) { *s = strlen(FAKE_PTX) + 1; return 0; }
int nvrtcGetPTX(void *p, char *out) { strcpy(out, FAKE_PTX); return 0; }
int nvrtcGetProgramLogSize(void *p, size_t *s) { *s = 14; return 0; }
int nvrtcGetProgramLog(void *p, char *out) { strcpy(out, "no kernels in"); return 0; }
int nvrtcDestroyProgram(void **p) { free(*p); *p = 0; return 0; }
const char *nvrtcGetErrorString(int r) { return r == 6 ? "NVRTC_ERROR_COMPILATION" : "NVRTC_ERROR"; }
