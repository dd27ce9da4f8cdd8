// Opening OpenBLAS at run time.
//
// Debian's OpenBLAS 0.3.21 chooses its kernel when the library loads, from CPUID. On CPUs newer than
// the library (Sapphire Rapids class) it falls back to "Prescott", whose sgemm is about 4x slower
// than the AVX-512 "SkylakeX" kernel those CPUs can run. Setting OPENBLAS_CORETYPE inside main() is
// too late for a library linked at build time, so Fovea opens OpenBLAS itself:
//   1. dlopen libopenblas.so.0 and ask which kernel it chose;
//   2. only if it is the generic fallback "Prescott", the user did not set OPENBLAS_CORETYPE, and
//      CPUID + XCR0 confirm AVX-512 F/BW/DQ/VL, set OPENBLAS_CORETYPE=SkylakeX and open a fresh copy
//      of the library in a new link-map namespace (dlmopen), whose start-up reads the variable.
// On every other machine the library is used exactly as it detected itself.
#define _GNU_SOURCE
#include "fovea_blas.h"

#include <dlfcn.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

enum { RowMajor = 101, NoTrans = 111, Trans = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int,
                         float, float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int,
                         double, double *, int);
typedef char *(*corename_fn)(void);
typedef void (*threads_fn)(int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char open_error[512];
static void *library;
static sgemm_fn p_sgemm;
static dgemm_fn p_dgemm;
static corename_fn p_corename;
static threads_fn p_threads;
static int forced;

int fovea_cpu_has_avx512(void) {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 27))) return 0;  // OSXSAVE: xgetbv is usable
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;  // XMM, YMM, opmask, ZMM_Hi256, Hi16_ZMM state enabled
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const unsigned f = 1u << 16, dq = 1u << 17, bw = 1u << 30, vl = 1u << 31;
    return (b & f) && (b & dq) && (b & bw) && (b & vl);
#else
    return 0;
#endif
}

static int bind(void *handle) {
    p_sgemm = (sgemm_fn)dlsym(handle, "cblas_sgemm");
    p_dgemm = (dgemm_fn)dlsym(handle, "cblas_dgemm");
    p_corename = (corename_fn)dlsym(handle, "openblas_get_corename");
    p_threads = (threads_fn)dlsym(handle, "openblas_set_num_threads");
    return p_sgemm && p_dgemm;
}

static void *open_library(int fresh_namespace) {
    static const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        void *h = fresh_namespace ? dlmopen(LM_ID_NEWLM, names[i], RTLD_NOW | RTLD_LOCAL)
                                  : dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (h) return h;
    }
    return NULL;
}

static void open_once(void) {
    library = open_library(0);
    if (!library || !bind(library)) {
        snprintf(open_error, sizeof open_error,
                 "could not open OpenBLAS (libopenblas.so.0): %s. Install it with "
                 "`apt-get install libopenblas-dev`.", dlerror());
        library = NULL;
        return;
    }
    const char *user = getenv("OPENBLAS_CORETYPE");
    const char *name = p_corename ? p_corename() : "";
    if (fovea_blas_should_force(user, name, fovea_cpu_has_avx512())) {
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 1);
        if (p_threads) p_threads(1);  // the first copy stays idle
        void *fresh = open_library(1);
        if (fresh && bind(fresh)) {
            library = fresh;
            forced = 1;
        } else {
            bind(library);  // keep the working copy
        }
    }
}

int fovea_blas_should_force(const char *user, const char *corename, int has_avx512) {
    return (user == NULL || *user == 0) && corename != NULL && strcmp(corename, "Prescott") == 0 && has_avx512;
}

int fovea_blas_probe_fresh_copy(const char *coretype, char *corename, size_t corename_length, float c[4]) {
    setenv("OPENBLAS_CORETYPE", coretype, 1);
    void *fresh = open_library(1);
    if (!fresh) return 1;
    sgemm_fn sgemm = (sgemm_fn)dlsym(fresh, "cblas_sgemm");
    corename_fn name = (corename_fn)dlsym(fresh, "openblas_get_corename");
    if (!sgemm || !name) return 2;
    snprintf(corename, corename_length, "%s", name());
    const float a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8};
    sgemm(RowMajor, NoTrans, NoTrans, 2, 2, 2, 1.0f, a, 2, b, 2, 0.0f, c, 2);
    return 0;
}

int fovea_blas_open(char *error, size_t error_length) {
    pthread_once(&once, open_once);
    if (library) return 0;
    if (error && error_length) snprintf(error, error_length, "%s", open_error);
    return 1;
}

const char *fovea_blas_corename(void) {
    if (fovea_blas_open(NULL, 0) != 0 || !p_corename) return "unavailable";
    return p_corename();
}

int fovea_blas_kernel_was_forced(void) { return forced; }

void fovea_blas_set_threads(int threads) {
    if (fovea_blas_open(NULL, 0) == 0 && p_threads) p_threads(threads);
}

void fovea_sgemm(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc) {
    p_sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb,
            beta, c, ldc);
}

void fovea_dgemm(int transA, int transB, int m, int n, int k, double alpha, const double *a, int lda,
                 const double *b, int ldb, double beta, double *c, int ldc) {
    p_dgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb,
            beta, c, ldc);
}

/* LAPACK's dsyev (OpenBLAS exports it): the Fortran ABI passes every argument by pointer and the
   lengths of the two character arguments at the end. */
typedef void (*dsyev_fn)(const char *, const char *, const int *, double *, const int *, double *, double *,
                         const int *, int *, size_t, size_t);

int fovea_dsyev(int n, double *a, double *eigenvalues) {
    if (!library) return -1000;
    dsyev_fn dsyev = (dsyev_fn)dlsym(library, "dsyev_");
    if (!dsyev) return -1001;
    int info = 0, lwork = -1;
    double query = 0;
    dsyev("V", "U", &n, a, &n, eigenvalues, &query, &lwork, &info, 1, 1);
    if (info != 0) return info;
    lwork = (int)query;
    double *work = malloc(sizeof(double) * (size_t)(lwork > 1 ? lwork : 1));
    if (!work) return -1002;
    dsyev("V", "U", &n, a, &n, eigenvalues, work, &lwork, &info, 1, 1);
    free(work);
    return info;
}

void fovea_tune_allocator(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  /* glibc's largest allowed value */
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}
